/* step.c — skip-gram and CBOW windows over the loss table (see step.h). */
#include "w2v/step.h"
