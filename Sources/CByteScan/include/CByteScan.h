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

/* The length of the record at p after its first `lead` bytes, when those bytes equal the `lead`
   bytes at prev and the rest holds no quote up to its line end (LF or CR) at most `longest`
   bytes after p; -1 otherwise, or when no line end is found before `end` (so a caller finds a
   CR there and looks at the byte after it). p + lead + 16 must not pass `end`. Sixteen bytes at
   a time: the compare of a sitting's repeated first columns and the search for the line end of
   the rest are what a reader does for most rows of an export. */
static inline long adhere_same_lead_tail(const uint8_t *p, const uint8_t *prev, long lead, const uint8_t *end, long longest) {
    long i = 0;
    for (; i + 16 <= lead; i += 16) {
        __m128i a = _mm_loadu_si128((const __m128i *)(p + i)), b = _mm_loadu_si128((const __m128i *)(prev + i));
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(a, b)) != 0xFFFF) return -1;
    }
    if (i < lead) {
        /* The last (overlapping) 16 bytes of the lead; a lead under 16 bytes byte by byte. */
        if (lead >= 16) {
            __m128i a = _mm_loadu_si128((const __m128i *)(p + lead - 16)), b = _mm_loadu_si128((const __m128i *)(prev + lead - 16));
            if (_mm_movemask_epi8(_mm_cmpeq_epi8(a, b)) != 0xFFFF) return -1;
        } else {
            for (; i < lead; i++) if (p[i] != prev[i]) return -1;
        }
    }
    const __m128i quote = _mm_set1_epi8('"'), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    const uint8_t *q = p + lead;
    while (q + 16 <= end && q - p <= longest) {
        __m128i v = _mm_loadu_si128((const __m128i *)q);
        unsigned ends = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
        unsigned quotes = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote));
        if (ends != 0) {
            unsigned first = ends & (0u - ends);
            if (quotes & (first - 1)) return -1;
            long length = (long)(q - p - lead) + __builtin_ctz(ends);
            return lead + length <= longest ? length : -1;
        }
        if (quotes) return -1;
        q += 16;
    }
    return -1;
}
#endif

#endif
