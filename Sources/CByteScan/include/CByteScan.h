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

/* Whether the n bytes at a and at b are equal, for n of 16 or more: 16 bytes at a time, the
   last 16 overlapping, the differences gathered before one test. */
static inline __attribute__((always_inline)) int adhere_equal16(const uint8_t *a, const uint8_t *b, long n) {
    __m128i diff = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(a + n - 16)), _mm_loadu_si128((const __m128i *)(b + n - 16)));
    for (long i = 0; i + 16 < n; i += 16)
        diff = _mm_or_si128(diff, _mm_xor_si128(_mm_loadu_si128((const __m128i *)(a + i)), _mm_loadu_si128((const __m128i *)(b + i))));
    return _mm_movemask_epi8(_mm_cmpeq_epi8(diff, _mm_setzero_si128())) == 0xFFFF;
}

/* The length of the rest of the record at p from q up to its line end (LF or CR), when it
   holds no quote and the record is at most `longest` bytes; -1 otherwise, or when no line end
   is found 32 bytes or more before `end` (so a caller finds a CR there and looks at the byte
   after it). */
static inline __attribute__((always_inline)) long adhere_line_rest(const uint8_t *p, const uint8_t *q, const uint8_t *end, long longest) {
    const __m128i quote = _mm_set1_epi8('"'), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    const uint8_t *from = q;
    while (q + 32 <= end && q - p <= longest) {
        __m128i v = _mm_loadu_si128((const __m128i *)q), w = _mm_loadu_si128((const __m128i *)(q + 16));
        uint32_t ends = (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)))
            | (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(w, lf), _mm_cmpeq_epi8(w, cr))) << 16;
        uint32_t quotes = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote))
            | (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(w, quote)) << 16;
        if (ends != 0) {
            uint32_t first = ends & (0u - ends);
            if (quotes & (first - 1)) return -1;
            const uint8_t *lineEnd = q + __builtin_ctz(ends);
            return lineEnd - p <= longest ? (long)(lineEnd - from) : -1;
        }
        if (quotes) return -1;
        q += 32;
    }
    return -1;
}

/* Whether a row of the record at p is one more of a sitting: its first `prefix` bytes (the
   fields before its date field) are the ones at prev, and its date field is `date` (the
   sitting's): then the length of the rest after the date field's separator up to the line end
   (see adhere_line_rest), -1 if that rest cannot be taken so; -2 when only the date differs
   (the next sitting of the same patient, or a row that is not one: the caller reads the date
   field); -1 otherwise. p + prefix + dateLength + 1 must not pass `end`. A sitting's rows
   repeat their patient, names and time, and the next sitting of the same patient repeats all
   but the time: what a reader meets on most rows of an export. */
static inline __attribute__((always_inline)) long adhere_sitting_row(const uint8_t *p, const uint8_t *prev, long prefix,
                                                                     const uint8_t *date, long dateLength, const uint8_t *end,
                                                                     uint8_t separator, long longest) {
    if (prefix >= 16) {
        if (!adhere_equal16(p, prev, prefix)) return -1;
    } else {
        for (long i = 0; i < prefix; i++) if (p[i] != prev[i]) return -1;
    }
    const uint8_t *d = p + prefix;
    int same = d[dateLength] == separator;
    if (same && dateLength >= 16) {
        same = adhere_equal16(d, date, dateLength);
    } else {
        for (long i = 0; same && i < dateLength; i++) same = d[i] == date[i];
    }
    if (!same) return -2;
    return adhere_line_rest(p, d + dateLength + 1, end, longest);
}

/* The length of the field at q up to the next separator, when no quote or line end comes
   before it and it ends within `longest` bytes of p; -1 otherwise. q + 16 must not pass `end`;
   it reads no further than `end`. */
static inline __attribute__((always_inline)) long adhere_plain_field(const uint8_t *p, const uint8_t *q, const uint8_t *end,
                                                                     uint8_t separator, long longest) {
    const __m128i sep = _mm_set1_epi8((char)separator), quote = _mm_set1_epi8('"');
    const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    const uint8_t *from = q;
    while (q + 16 <= end && q - p <= longest) {
        __m128i v = _mm_loadu_si128((const __m128i *)q);
        unsigned seps = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, sep));
        unsigned stops = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, lf)), _mm_cmpeq_epi8(v, cr)));
        unsigned any = seps | stops;
        if (any) {
            unsigned first = any & (0u - any);
            return (stops & first) ? -1 : (long)(q - from) + __builtin_ctz(any);
        }
        q += 16;
    }
    return -1;
}
#endif

#endif
