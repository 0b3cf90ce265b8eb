#ifndef ADHERE_CBYTESCAN_H
#define ADHERE_CBYTESCAN_H

/*
 * The one thing the CSV reader needs from the processor that Swift does not offer: the x86
 * instruction that gathers a vector comparison into a bit mask (pmovmskb). Swift's SIMD types
 * compare 16 bytes at once but have no such gather, and the reader would otherwise build each
 * mask by multiplications. Static inline, so Swift inlines it where it is called.
 *
 * Only for x86-64 (SSE2 is part of the base instruction set); other processors use the
 * reader's Swift version (CSVRecordReader.specialBits).
 */

#include <stdint.h>

#if defined(__x86_64__) && defined(__SSE2__)
#include <emmintrin.h>

/* Where the bytes p[0..<64] are the separator, a line end (LF or CR) and a quote: bit i of each
   mask for byte i. */
typedef struct { uint64_t separators, lineEnds, quotes; } adhere_special_masks;

static inline adhere_special_masks adhere_special_bits64(const uint8_t *p, uint8_t separator) {
    const __m128i sep = _mm_set1_epi8((char)separator), quote = _mm_set1_epi8('"');
    const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    adhere_special_masks m = {0, 0, 0};
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        m.separators |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, sep)) << (16 * k);
        m.lineEnds |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr))) << (16 * k);
        m.quotes |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) << (16 * k);
    }
    return m;
}
#endif

#endif
