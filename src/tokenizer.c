/* tokenizer.c — the byte classes behind tokenizer.h. */
#include "w2v/tokenizer.h"

#define SEPARATOR 1
#define NEWLINE   2

const uint8_t w2v_byte_class[256] = {
    ['\0'] = SEPARATOR, ['\t'] = SEPARATOR, ['\n'] = NEWLINE,  ['\v'] = SEPARATOR,
    ['\f'] = SEPARATOR, ['\r'] = SEPARATOR, [' '] = SEPARATOR,
};
