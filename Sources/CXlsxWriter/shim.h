#ifndef ADHERE_CXLSXWRITER_SHIM_H
#define ADHERE_CXLSXWRITER_SHIM_H
#include <xlsxwriter.h>
#endif
