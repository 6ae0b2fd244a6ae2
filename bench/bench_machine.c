/* bench_machine.c — reads the CPU model and flags from /proc/cpuinfo (see bench_machine.h). */
#include "bench_machine.h"

#include "w2v/parallel.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/* True if the space-separated `flags` contain exactly `flag`. */
static bool has_flag(const char *flags, const char *flag) {
    size_t len = strlen(flag);
    for (const char *p = strstr(flags, flag); p; p = strstr(p + 1, flag))
        if ((p == flags || p[-1] == ' ' || p[-1] == '\t') &&
            (p[len] == ' ' || p[len] == '\n' || p[len] == '\0'))
            return true;
    return false;
}

void w2v_bench_describe_machine(struct w2v_bench_machine *out) {
    memset(out, 0, sizeof *out);
    snprintf(out->cpu_model, sizeof out->cpu_model, "unknown");
    out->online_cores = w2v_online_cpus();
    FILE *fp = fopen("/proc/cpuinfo", "r");
    char line[8192];
    bool have_model = false, have_flags = false;
    while (fp && fgets(line, sizeof line, fp) && !(have_model && have_flags)) {
        char *colon = strchr(line, ':');
        if (!colon) continue;
        const char *value = colon + 1 + (colon[1] == ' ');
        if (!have_model && strncmp(line, "model name", 10) == 0) {
            snprintf(out->cpu_model, sizeof out->cpu_model, "%.*s", (int)strcspn(value, "\n"),
                     value);
            have_model = true;
        } else if (!have_flags && strncmp(line, "flags", 5) == 0) {
            out->avx2 = has_flag(value, "avx2");
            out->avx512f = has_flag(value, "avx512f");
            out->fma = has_flag(value, "fma");
            have_flags = true;
        }
    }
    if (fp) fclose(fp);
    if (gethostname(out->hostname, sizeof out->hostname - 1) != 0)
        snprintf(out->hostname, sizeof out->hostname, "unknown");
    struct utsname name;
    if (uname(&name) == 0)
        snprintf(out->kernel, sizeof out->kernel, "%.60s %.60s", name.sysname, name.release);
}
