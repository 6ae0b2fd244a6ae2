/* testing.h — the cmocka prelude (its headers must come in this order) plus
 * small helpers shared by the test programs. */
#ifndef W2V_TESTING_H
#define W2V_TESTING_H

// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#endif
