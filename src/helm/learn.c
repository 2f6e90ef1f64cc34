/*
 * learn.c - learn mode (--learn): what an invocation of a Helm plugin
 * actually used, and the smallest runtimeConfig that would have
 * sufficed, written as YAML for plugin.yaml.
 *
 * run.c feeds the record: the hosts of HTTP requests from the guard's
 * audit events (helm_learn_note_http), the rest from the Extism
 * runtime's usage record (ext_plugin_usage) before the sandbox is freed
 * (helm_learn_collect).  The rules that turn usage into limits are in
 * helm.h (HELM_LEARN_*, helm_learn_write); the headroom is deliberate:
 * a limit at exactly the peak of one run fails the next, larger run.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helm/learn.h"

#define PAGE_BYTES 65536ull
#define MAX_PAGES 65536ull
#define KERNEL_FREE_BYTES (1ull << 20)  /* the kernel memory never has less */

uint64_t helm_learn_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Appends a copy of s to *list unless it is there; false when out of memory. */
static bool add_unique(char ***list, size_t *n, const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i], s) == 0) return true;
    char **more = realloc(*list, (*n + 1) * sizeof *more);
    if (!more) return false;
    *list = more;
    if (!(more[*n] = strdup(s))) return false;
    ++*n;
    return true;
}

void helm_learn_note_http(helm_usage *u, const char *what, bool allowed)
{
    const char *url = strchr(what, ' ');
    char host[GUARD_HOST_MAX], why[GUARD_RULE_MAX];
    if (!url || !guard_url_host(url + 1, host, why)) return;  /* a malformed URL: no host */
    if (allowed) add_unique(&u->hosts, &u->nhosts, host);
    else add_unique(&u->denied_hosts, &u->ndenied_hosts, host);
}

void helm_learn_collect(helm_usage *u, const ext_usage *eu, helm_error_kind kind,
                        uint64_t elapsed_ns)
{
    u->ran = true;
    if (kind != HELM_ERR_NONE) u->outcome = kind;
    if (eu->http_responses) u->http_used = true;
    if (eu->max_http_response > u->max_http_response) u->max_http_response = eu->max_http_response;
    if (eu->peak_var_bytes > u->peak_var_bytes) u->peak_var_bytes = eu->peak_var_bytes;
    if (eu->memory_pages > u->peak_pages) u->peak_pages = eu->memory_pages;
    if (eu->kernel_peak_bytes > u->kernel_peak_bytes) u->kernel_peak_bytes = eu->kernel_peak_bytes;
    if (eu->tmp_dir_used) u->tmp_dir_used = true;
    if (elapsed_ns > u->elapsed_ns) u->elapsed_ns = elapsed_ns;
    for (size_t i = 0; i < eu->nhost_fns; i++)
        if (eu->host_fn_calls[i]) add_unique(&u->host_functions, &u->nhost_functions,
                                             eu->host_fn_names[i]);
    for (size_t i = 0; i < eu->nconfig; i++) {
        if (!eu->config_read[i]) continue;
        size_t before = u->nconfig;
        if (!add_unique(&u->config_keys, &u->nconfig, eu->config_keys[i])) continue;
        if (u->nconfig == before) continue;  /* read before */
        char **more = realloc(u->config_values, u->nconfig * sizeof *more);
        char *v = more ? strdup(eu->config_values[i]) : NULL;
        if (more) u->config_values = more;
        if (!v) {  /* no memory: forget the key rather than pair it wrong */
            free(u->config_keys[--u->nconfig]);
            continue;
        }
        u->config_values[u->nconfig - 1] = v;
    }
}

static void free_list(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++) free(list[i]);
    free(list);
}

void helm_usage_free(helm_usage *u)
{
    if (!u) return;
    free_list(u->hosts, u->nhosts);
    free_list(u->denied_hosts, u->ndenied_hosts);
    free_list(u->host_functions, u->nhost_functions);
    free_list(u->config_keys, u->nconfig);
    free_list(u->config_values, u->nconfig);
    memset(u, 0, sizeof *u);
}

/* ---- The YAML ------------------------------------------------------------- */

/* A double-quoted YAML scalar with JSON's escapes (YAML 1.2 reads them
   all): '"', '\\', control characters, DEL and the C1 controls
   escaped; other UTF-8 as it is. */
static void yaml_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\') fprintf(f, "\\%c", *c);
        else if (*c == '\n') fputs("\\n", f);
        else if (*c == '\t') fputs("\\t", f);
        else if (*c == '\r') fputs("\\r", f);
        else if (*c < 0x20 || *c == 0x7f) fprintf(f, "\\u%04x", *c);
        else if (*c == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f) fprintf(f, "\\u%04x", *++c);
        else fputc(*c, f);
    }
    fputc('"', f);
}

static uint64_t round_pow2(uint64_t n)
{
    uint64_t v = HELM_LEARN_MIN_BYTES;
    while (v < n && v < (1ull << 62)) v <<= 1;
    return v;
}

/* The peak pages plus a quarter (at least one page), within 65536. */
static uint64_t learned_pages(const helm_usage *u)
{
    uint64_t peak = u->peak_pages;
    if (u->kernel_peak_bytes > KERNEL_FREE_BYTES) {
        uint64_t k = (u->kernel_peak_bytes + PAGE_BYTES - 1) / PAGE_BYTES;
        if (k > peak) peak = k;
    }
    uint64_t more = (peak + 3) / 4;
    peak += more ? more : 1;
    return peak > MAX_PAGES ? MAX_PAGES : peak;
}

/* The wall time times the factor, up to whole seconds, at least the minimum. */
static uint64_t learned_timeout(const helm_usage *u)
{
    uint64_t ms = (u->elapsed_ns * HELM_LEARN_TIMEOUT_FACTOR + 999999) / 1000000;
    ms = (ms + 999) / 1000 * 1000;
    return ms < HELM_LEARN_MIN_TIMEOUT_MS ? HELM_LEARN_MIN_TIMEOUT_MS : ms;
}

static void yaml_list(FILE *f, const char *key, char *const *items, size_t n)
{
    if (!n) return;
    fprintf(f, "  %s:\n", key);
    for (size_t i = 0; i < n; i++) {
        fputs("    - ", f);
        yaml_str(f, items[i]);
        fputc('\n', f);
    }
}

bool helm_learn_write(const helm_plugin *p, const helm_usage *u, FILE *f)
{
    const char *name = p && p->name ? p->name : "?";
    unsigned long long ms = (unsigned long long)(u->elapsed_ns / 1000000);
    fprintf(f, "# wasmguard --learn: plugin %s ran in %llu ms with %u pages of memory.\n", name,
            ms, u->peak_pages);
    if (u->outcome != HELM_ERR_NONE)
        fprintf(f, "# note: the run failed; this is what it used until then, it may need more.\n");
    fprintf(f, "# The smallest runtimeConfig that would have sufficed, for its plugin.yaml:\n");
    fprintf(f, "runtimeConfig:\n  memory:\n    maxPages: %llu\n",
            (unsigned long long)learned_pages(u));
    if (u->http_used)
        fprintf(f, "    maxHttpResponseBytes: %llu\n",
                (unsigned long long)round_pow2(u->max_http_response));
    if (u->peak_var_bytes)
        fprintf(f, "    maxVarBytes: %llu\n", (unsigned long long)round_pow2(u->peak_var_bytes));
    fprintf(f, "  timeout: %llu\n", (unsigned long long)learned_timeout(u));
    yaml_list(f, "allowedHosts", u->hosts, u->nhosts);
    if (u->tmp_dir_used) fprintf(f, "  fileSystem:\n    createTempDir: true\n");
    yaml_list(f, "hostFunctions", u->host_functions, u->nhost_functions);
    if (u->nconfig) {
        fprintf(f, "  config:\n");
        for (size_t i = 0; i < u->nconfig; i++) {
            fputs("    ", f);
            yaml_str(f, u->config_keys[i]);
            fputs(": ", f);
            yaml_str(f, u->config_values[i]);
            fputc('\n', f);
        }
    }
    const char *entry = p ? p->extism.entry_func : NULL;
    if (entry && *entry && strcmp(entry, HELM_DEFAULT_ENTRY) != 0) {
        fputs("  entryFuncName: ", f);
        yaml_str(f, entry);
        fputc('\n', f);
    }
    for (size_t i = 0; i < u->ndenied_hosts; i++) {
        fputs("# denied (not in allowedHosts): ", f);
        yaml_str(f, u->denied_hosts[i]);
        fputc('\n', f);
    }
    return fflush(f) == 0 && !ferror(f);
}
