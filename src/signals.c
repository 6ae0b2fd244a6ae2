/* signals.c — the tracked-file and tracked-mapping registries and the signal
 * handlers (see signals.h).
 *
 * Handlers may run on any thread at any moment, so they only read slots whose
 * state is READY and call async-signal-safe functions (unlink, write, _exit,
 * raise). A slot is filled under a mutex and published by one atomic store;
 * untracking clears the state first, so a handler never reads a half-written
 * path. */
#include "w2v/signals.h"

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { SLOT_FREE, SLOT_FILLING, SLOT_READY };
enum { MAX_FILES = 64, MAX_MAPPINGS = 16, MAX_PATH_BYTES = 1024 };

struct file_slot {
    _Atomic int state;
    char path[MAX_PATH_BYTES];
};

struct mapping_slot {
    _Atomic int state;
    uintptr_t begin, end;
    const char *what;
    char path[MAX_PATH_BYTES];
};

static struct file_slot files[MAX_FILES];
static struct mapping_slot mappings[MAX_MAPPINGS];
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

static atomic_bool graceful;
static atomic_int stop_signal;
static atomic_bool checkpoint_requested;

/* Claims a free slot of `states` (stride bytes apart); −1 when none is free. */
static int claim(_Atomic int *first_state, size_t stride, int count) {
    pthread_mutex_lock(&registry_lock);
    int found = -1;
    for (int i = 0; i < count && found < 0; i++) {
        _Atomic int *state = (_Atomic int *)((char *)first_state + (size_t)i * stride);
        if (atomic_load(state) == SLOT_FREE) {
            atomic_store(state, SLOT_FILLING);
            found = i;
        }
    }
    pthread_mutex_unlock(&registry_lock);
    return found;
}

int w2v_signals_track_file(const char *path) {
    size_t len = path ? strlen(path) : MAX_PATH_BYTES;
    if (len >= MAX_PATH_BYTES) return -1;
    int slot = claim(&files[0].state, sizeof files[0], MAX_FILES);
    if (slot < 0) return -1;
    memcpy(files[slot].path, path, len + 1);
    atomic_store(&files[slot].state, SLOT_READY);
    return slot;
}

void w2v_signals_untrack_file(int slot) {
    if (slot >= 0 && slot < MAX_FILES) atomic_store(&files[slot].state, SLOT_FREE);
}

int w2v_signals_track_mapping(const void *addr, size_t size, const char *what, const char *path) {
    size_t len = path ? strlen(path) : MAX_PATH_BYTES;
    if (len >= MAX_PATH_BYTES) len = MAX_PATH_BYTES - 1; /* a cut name still says what changed */
    int slot = claim(&mappings[0].state, sizeof mappings[0], MAX_MAPPINGS);
    if (slot < 0) return -1;
    struct mapping_slot *m = &mappings[slot];
    m->begin = (uintptr_t)addr;
    m->end = (uintptr_t)addr + size;
    m->what = what ? what : "input";
    memcpy(m->path, path ? path : "", len);
    m->path[len] = '\0';
    atomic_store(&m->state, SLOT_READY);
    return slot;
}

const char *w2v_signals_mapped_file(const struct stat *st) {
    for (int i = 0; i < MAX_MAPPINGS; i++) {
        struct stat mapped;
        if (atomic_load(&mappings[i].state) == SLOT_READY && mappings[i].path[0] &&
            stat(mappings[i].path, &mapped) == 0 && mapped.st_dev == st->st_dev &&
            mapped.st_ino == st->st_ino)
            return mappings[i].path;
    }
    return NULL;
}

void w2v_signals_untrack_mapping(int slot) {
    if (slot >= 0 && slot < MAX_MAPPINGS) atomic_store(&mappings[slot].state, SLOT_FREE);
}

/* ---- handlers: async-signal-safe from here on ---- */

static void remove_tracked_files(void) {
    for (int i = 0; i < MAX_FILES; i++)
        if (atomic_load(&files[i].state) == SLOT_READY) unlink(files[i].path);
}

static void write_all(const char *text) {
    size_t len = strlen(text);
    while (len > 0) {
        ssize_t n = write(STDERR_FILENO, text, len);
        if (n <= 0) return;
        text += n, len -= (size_t)n;
    }
}

static void die_with(int signal_number) {
    remove_tracked_files();
    signal(signal_number, SIG_DFL);
    sigset_t unblock; /* the handler runs with its signal blocked: let the raise through */
    sigemptyset(&unblock);
    sigaddset(&unblock, signal_number);
    sigprocmask(SIG_UNBLOCK, &unblock, NULL);
    raise(signal_number);
    _exit(128 + signal_number); /* not reached unless the signal is blocked */
}

static void on_terminate(int signal_number) {
    if (atomic_load(&graceful) && (signal_number == SIGINT || signal_number == SIGTERM)) {
        int previous = atomic_exchange(&stop_signal, signal_number);
        if (!(previous == SIGINT && signal_number == SIGINT)) return; /* a second SIGINT: die */
    }
    die_with(signal_number);
}

static void on_checkpoint_request(int signal_number) {
    (void)signal_number;
    atomic_store(&checkpoint_requested, true);
}

static void on_bus_error(int signal_number, siginfo_t *info, void *unused) {
    (void)unused;
    uintptr_t address = (uintptr_t)info->si_addr;
    for (int i = 0; i < MAX_MAPPINGS; i++) {
        const struct mapping_slot *m = &mappings[i];
        if (atomic_load(&m->state) != SLOT_READY || address < m->begin || address >= m->end)
            continue;
        write_all("w2v: ");
        write_all(m->what);
        write_all(" '");
        write_all(m->path);
        write_all("' changed while being read\n");
        remove_tracked_files();
        _exit(1);
    }
    die_with(signal_number); /* not an input mapping: a real bug, keep the core dump */
}

/* A bug (SIGSEGV, SIGABRT, ...): remove the temporaries, then die as the
 * signal would have (core dump included). */
static void on_crash(int signal_number) {
    die_with(signal_number);
}

static void at_exit(void) {
    remove_tracked_files(); /* exit() on an error path (out of memory) with outputs open */
}

/* Installs `action` for `signal_number` unless the signal is ignored (nohup's
 * SIGHUP, a parent's SIGPIPE) or, with only_if_default, already handled (a
 * sanitizer's SIGSEGV handler). */
static void install(int signal_number, const struct sigaction *action, bool only_if_default) {
    struct sigaction old;
    if (sigaction(signal_number, NULL, &old) != 0) return;
    bool had_handler =
        (old.sa_flags & SA_SIGINFO) ? old.sa_sigaction != NULL : old.sa_handler != SIG_DFL;
    if (!(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_IGN) return;
    if (only_if_default && had_handler) return;
    sigaction(signal_number, action, NULL);
}

void w2v_signals_install(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    action.sa_handler = on_terminate;
    /* Every signal whose default action ends the process, but SIGKILL/SIGSTOP. */
    const int terminating[] = {SIGINT,  SIGTERM, SIGHUP,    SIGQUIT, SIGPIPE,
                               SIGALRM, SIGXCPU, SIGVTALRM, SIGPROF, SIGUSR2};
    for (size_t i = 0; i < sizeof terminating / sizeof terminating[0]; i++)
        install(terminating[i], &action, false);
    action.sa_handler = on_crash;
    const int crashing[] = {SIGSEGV, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS};
    for (size_t i = 0; i < sizeof crashing / sizeof crashing[0]; i++)
        install(crashing[i], &action, true);
    /* Past RLIMIT_FSIZE a write then fails with EFBIG, reported as "File too large". */
    action.sa_handler = SIG_IGN;
    install(SIGXFSZ, &action, true);
    action.sa_handler = on_checkpoint_request;
    action.sa_flags = SA_RESTART;
    install(SIGUSR1, &action, false);
    action.sa_handler = NULL;
    action.sa_sigaction = on_bus_error;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGBUS, &action, NULL);
    static atomic_bool registered;
    if (!atomic_exchange(&registered, true)) atexit(at_exit);
}

void w2v_signals_set_graceful(bool on) {
    atomic_store(&graceful, on);
    if (!on) atomic_store(&stop_signal, 0);
}

int w2v_signals_stop_requested(void) {
    return atomic_load(&stop_signal);
}

bool w2v_signals_take_checkpoint_request(void) {
    return atomic_exchange(&checkpoint_requested, false);
}
