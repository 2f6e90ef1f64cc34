/*
 * main.c - wasmguard's entry point: global options, the command table,
 * --help and --version.  A new command is one row of `commands` and a
 * function in its own file.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static int cmd_help(int argc, char **argv, const cli_options *opts);

static const cli_command commands[] = {
    {"invoke", "[OPTIONS] FILE.wasm FUNC [ARGS...]",
     "instantiate FILE (it may not import anything), call its exported\n"
     "      function FUNC with ARGS, print each result on its own line and,\n"
     "      on stderr, the time the call took",
     cli_cmd_invoke, false},
    {"run", "[OPTIONS] FILE.wasm [ARGS...]",
     "run the WASI command FILE (its _start) with ARGS; its argv[0] is FILE's\n"
     "      base name.  It sees only what the options grant: the --dir\n"
     "      directories, the --env variables, a --tmp directory; stdin, stdout\n"
     "      and stderr are this process's.  Exits with the guest's exit code",
     cli_cmd_run, true},
    {"call", "FILE.wasm|MANIFEST.json FUNC [OPTIONS]",
     "call the function FUNC of the Extism plugin FILE (a module, or an\n"
     "      Extism JSON manifest) with the input of --input or --stdin and\n"
     "      write its output to stdout, byte for byte.  It reaches only what\n"
     "      the manifest and the options grant; the flags are extism call's",
     cli_cmd_call, true},
    {"plugin", "list|lint|run|package|verify|install|uninstall|grants ...",
     "Helm 4 plugins: list the installed ones, lint one, run a cli/v1 one,\n"
     "      package, verify, install (with consent) and uninstall them\n"
     "      (see \"plugin subcommands\" below)",
     cli_cmd_plugin, true},
    {"get", "[OPTIONS] URL | [OPTIONS] CERT KEY CA URL",
     "fetch URL with the installed getter/v1 plugin whose protocols include\n"
     "      its scheme and write the bytes to stdout.  The second form is the\n"
     "      command line of a Helm downloader (credentials from\n"
     "      HELM_PLUGIN_USERNAME, HELM_PLUGIN_PASSWORD)",
     cli_cmd_get, true},
    {"post-render", "[OPTIONS] NAME [ARGS...]",
     "pass the manifests on stdin through the installed postrenderer/v1\n"
     "      plugin NAME (ARGS are its extraArgs) and write the result to\n"
     "      stdout, byte for byte: an executable for helm --post-renderer",
     cli_cmd_post_render, true},
    {"help", "", "show this help", cmd_help, false},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

void cli_print_help(FILE *out)
{
    fprintf(out, "usage: wasmguard COMMAND [OPTIONS] ARGS...\n\n"
                 "wasmguard runs WebAssembly 2.0 modules in its own sandboxed interpreter.\n\n"
                 "commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  wasmguard %s%s%s\n      %s\n", commands[i].name,
                commands[i].usage[0] ? " " : "", commands[i].usage, commands[i].summary);
    fprintf(out,
        "\noptions (before FILE):\n"
        "  --fuel N           stop the guest after N units of fuel (about one per\n"
        "                     instruction run)\n"
        "  --timeout MS       stop the guest after MS milliseconds\n"
        "  --memory-max PAGES cap every memory at PAGES pages of 64 KiB\n"
        "  -h, --help         show this help\n"
        "  --version          print the version\n"
        "\narguments are parsed by the function's parameter types: i32 and i64 as\n"
        "decimal or 0x hex, f32 and f64 as decimal (also nan, inf), references as\n"
        "null.  Results print as signed decimal integers, floats with %%g, and\n"
        "references as null or ref.\n"
        "\noptions of run (before FILE; everything after FILE is the guest's):\n"
        "  --dir HOST[::GUEST][:ro]\n"
        "                     grant the host directory HOST, seen by the guest as\n"
        "                     GUEST (default: HOST); with :ro it can only be read.\n"
        "                     Paths resolve beneath a granted directory or not at\n"
        "                     all (no .., absolute path or symlink leads out)\n"
        "  --env KEY=VALUE    set a variable in the guest's environment, which is\n"
        "                     otherwise empty (the host's is never passed)\n"
        "  --tmp              mount a fresh temp directory (under $TMPDIR) at guest\n"
        "                     /tmp; it is removed with all it holds when the run\n"
        "                     ends, however it ends\n"
        "  --fuel, --timeout, --memory-max as above\n"
        "\noptions of call (anywhere after call; they override the manifest):\n"
        "  -i, --input STR    the input (default: empty)\n"
        "  --stdin            read the input from stdin, to its end\n"
        "  -m, --manifest     FILE is a manifest, whatever it starts with (a file\n"
        "                     that does not start with the wasm magic is one)\n"
        "  --config KEY=VALUE set a config key the plugin can read (repeatable)\n"
        "  --allow-host HOST  let the plugin make HTTP requests to HOST, a name or\n"
        "                     a glob such as *.example.com (repeatable); no host\n"
        "                     is allowed otherwise, and every redirect is decided\n"
        "                     again\n"
        "  --allow-path [ro:]HOST[:GUEST]\n"
        "                     with --wasi, grant the host directory HOST as GUEST\n"
        "                     (default: HOST); ro: makes it read-only (repeatable)\n"
        "  --wasi             link WASI (wasi_snapshot_preview1); the plugin's\n"
        "                     stdout and stderr are this process's, stdin is closed\n"
        "  --timeout MS       stop a call after MS milliseconds (timeout_ms)\n"
        "  --memory-max PAGES cap the plugin's memory at PAGES pages (max_pages)\n"
        "  --http-response-max BYTES\n"
        "                     fail a request whose response is larger\n"
        "                     (max_http_response_bytes; default 50 MiB)\n"
        "  --var-max BYTES    cap the plugin's vars (max_var_bytes; default 1 MiB;\n"
        "                     0 disables vars)\n"
        "  --output-max BYTES fail a call whose output is larger (default 64 MiB)\n"
        "  --fuel N           stop a call after N units of fuel\n"
        "  --log-level LEVEL  show the plugin's logs from LEVEL up on stderr, as\n"
        "                     \"[level] message\": trace, debug, info, warn, error\n"
        "                     (the default) or off\n"
        "  --loop N           call FUNC N times on the same plugin (its vars\n"
        "                     persist); with N > 1 each output ends with a newline\n"
        "  --audit FILE       append every decision of the guard (HTTP requests,\n"
        "                     files, limits) to FILE, one JSON object a line\n"
        "\nHelm plugins (plugin run, get, post-render) are found as Helm finds them:\n"
        "$HELM_PLUGINS, else $XDG_DATA_HOME/helm/plugins, else\n"
        "~/.local/share/helm/plugins.  Only extism/v1 plugins run, each call in a\n"
        "fresh sandbox: DIR/plugin.wasm with what its runtimeConfig grants, WASI\n"
        "with Helm's plugin variables (HELM_PLUGIN_NAME, HELM_NAMESPACE, ...) as\n"
        "its only environment, a temp dir at /tmp if granted (removed after), no\n"
        "HTTP host unless allowedHosts lists it.  Limits a plugin may lower and\n"
        "only these options raise (defaults where Helm has none):\n"
        "  --memory-max PAGES memory (default 1024 pages = 64 MiB)\n"
        "  --timeout MS       one invocation (default 30000 ms)\n"
        "  --http-response-max BYTES\n"
        "                     one HTTP response (default 50 MiB)\n"
        "  --var-max BYTES    all vars (default 1 MiB)\n"
        "  --fuel N           stop after N units of fuel\n"
        "  --log-level LEVEL  show the plugin's logs from LEVEL up on stderr as\n"
        "                     \"NAME: [level] message\" (default warn)\n"
        "  --audit FILE       append every grant and decision to FILE, one JSON\n"
        "                     object a line\n"
        "  --learn            run with the plugin's grants, record what it used\n"
        "                     (hosts contacted, /tmp, memory, time, host functions,\n"
        "                     config keys read) and print to stderr the smallest\n"
        "                     runtimeConfig that would have sufficed, as YAML for\n"
        "                     its plugin.yaml: maxPages the peak + 25%% (at least\n"
        "                     +1), HTTP and var caps the peak up to a power of two\n"
        "                     (>= 1 KiB; omitted when unused), timeout the time x 4\n"
        "                     up to whole seconds (>= 1000 ms), allowedHosts,\n"
        "                     createTempDir, hostFunctions and config only as used\n"
        "A cli/v1 plugin gets this process's stdin, stdout and stderr; a getter or\n"
        "post-renderer only stderr.  A subprocess plugin is refused (exit 9).\n"
        "\nexit codes of plugin run, get and post-render (the message is one line,\n"
        "\"wasmguard: plugin NAME: cause\"):\n"
        "  0   success\n"
        "  1   the plugin failed with its own error message (or a request it made\n"
        "      was denied)\n"
        "  2   usage error, no such plugin, a plugin of another type, no getter\n"
        "      for the URL's scheme\n"
        "  3   the plugin returned or exited with a non-zero code and no message\n"
        "      (\"plugin exited with code N\")\n"
        "  4   the plugin trapped (\"trap: ...\")\n"
        "  5   the timeout expired (\"timeout after MS ms\")\n"
        "  6   the memory cap stopped it (\"memory cap of N pages ... reached\")\n"
        "  7   its output is not the type's output message\n"
        "  8   plugin.wasm is missing or invalid, an unknown hostFunctions name,\n"
        "      no entry function\n"
        "  9   a subprocess plugin: wasmguard sandboxes only extism/v1 plugins\n"
        "  10  another limit: output, vars, fuel\n"
        "  70  other host error\n"
        "\nexit codes of invoke:\n"
        "  0  success\n"
        "  1  usage error\n"
        "  2  the module failed to load (malformed, invalid, unlinkable, over a limit)\n"
        "  3  the guest trapped\n"
        "  4  fuel exhausted\n"
        "  5  timeout or interrupted\n"
        "  6  other error\n"
        "\nexit codes of run:\n"
        "  N    the guest's exit code: its proc_exit code, 0 when _start returns;\n"
        "       only the low 8 bits pass, and a non-zero code whose low 8 bits are\n"
        "       0 becomes 1\n"
        "  2    usage error\n"
        "  70   other host error\n"
        "  124  --timeout expired\n"
        "  125  fuel exhausted\n"
        "  126  the module could not be loaded or linked (an import other than\n"
        "       wasi_snapshot_preview1's, no _start)\n"
        "  130  stopped by SIGINT, 143 by SIGTERM (the temp dir is removed)\n"
        "  134  the guest trapped\n"
        "\nexit codes of call:\n"
        "  0   success\n"
        "  1   the plugin failed: it set an error, returned non-zero or exited\n"
        "      with a non-zero code, or a request it made failed (a host not\n"
        "      allowed, a response over --http-response-max)\n"
        "  2   usage error, or FILE has no function FUNC\n"
        "  3   the plugin trapped (when its memory had reached --memory-max, the\n"
        "      message says so)\n"
        "  4   --timeout expired (the message is \"timeout\")\n"
        "  5   a limit stopped it: --output-max, --var-max, --fuel, or a\n"
        "      --memory-max below what the module needs at start\n"
        "  6   the manifest or a module could not be loaded or linked\n"
        "  70  other host error\n"
        "\nErrors are reported on stderr as one line \"wasmguard: <message>\":\n"
        "for run, \"wasmguard: trap: <what>\", \"wasmguard: fuel exhausted\" or\n"
        "\"wasmguard: timeout after MS ms\" when the guest was stopped; for call,\n"
        "the plugin's own message when it set one.\n");
    cli_plugin_print_help(out);
}

static int cmd_help(int argc, char **argv, const cli_options *opts)
{
    (void)argc;
    (void)argv;
    (void)opts;
    cli_print_help(stdout);
    return CLI_EXIT_OK;
}

int cli_fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("wasmguard: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

int cli_exit_code(wasm_status status, bool loading)
{
    switch (status) {
    case WASM_OK: return CLI_EXIT_OK;
    case WASM_MALFORMED:
    case WASM_INVALID:
    case WASM_UNLINKABLE: return CLI_EXIT_LOAD;
    case WASM_TRAP: return CLI_EXIT_TRAP;
    case WASM_FUEL_EXHAUSTED: return CLI_EXIT_FUEL;
    case WASM_INTERRUPTED: return CLI_EXIT_INTERRUPTED;
    case WASM_LIMIT: return loading ? CLI_EXIT_LOAD : CLI_EXIT_OTHER;
    default: return CLI_EXIT_OTHER;
    }
}

const char *cli_printable(char *buf, size_t size, const char *name, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 5 < size; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c >= 0x20 && c < 0x7f && c != '\\')
            buf[n++] = (char)c;
        else
            n += (size_t)snprintf(buf + n, size - n, "\\x%02x", c);
    }
    buf[n] = 0;
    return buf;
}

/* Parses a decimal number in [0, max]. */
static bool parse_count(const char *s, uint64_t max, uint64_t *out)
{
    if (!s || *s < '0' || *s > '9') return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max) return false;
    *out = v;
    return true;
}

/* An option's value: "--opt=V" or "--opt V". */
static const char *option_value(int argc, char **argv, int *i, const char *arg, size_t len)
{
    if (arg[len] == '=') return arg + len + 1;
    if (*i + 1 < argc) return argv[++*i];
    return NULL;
}

int cli_parse_common_option(int argc, char **argv, int *i, cli_options *o)
{
    const char *a = argv[*i];
    uint64_t v;
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
        o->help = true;
    } else if (strcmp(a, "--version") == 0) {
        o->version = true;
    } else if (strncmp(a, "--fuel", 6) == 0 && (a[6] == 0 || a[6] == '=')) {
        const char *s = option_value(argc, argv, i, a, 6);
        if (!parse_count(s, INT64_MAX, &v))
            return cli_fail(-1, "--fuel wants a number of units, not '%s'", s ? s : "");
        o->has_fuel = true;
        o->fuel = (int64_t)v;
    } else if (strncmp(a, "--timeout", 9) == 0 && (a[9] == 0 || a[9] == '=')) {
        const char *s = option_value(argc, argv, i, a, 9);
        if (!parse_count(s, UINT64_MAX / 1000000u, &v) || v == 0)
            return cli_fail(-1, "--timeout wants milliseconds (1 or more), not '%s'", s ? s : "");
        o->has_timeout = true;
        o->timeout_ms = v;
    } else if (strncmp(a, "--memory-max", 12) == 0 && (a[12] == 0 || a[12] == '=')) {
        const char *s = option_value(argc, argv, i, a, 12);
        if (!parse_count(s, 65536, &v))
            return cli_fail(-1, "--memory-max wants pages (0 to 65536), not '%s'", s ? s : "");
        o->has_memory_max = true;
        o->memory_max = (uint32_t)v;
    } else {
        return 0;
    }
    return 1;
}

int cli_parse_options(int argc, char **argv, int *i, cli_options *o)
{
    for (; *i < argc; ++*i) {
        const char *a = argv[*i];
        if (strcmp(a, "--") == 0) { ++*i; break; }
        if (a[0] != '-' || a[1] == 0) break;  /* FILE, or a negative ARG later */
        int r = cli_parse_common_option(argc, argv, i, o);
        if (r < 0) return CLI_EXIT_USAGE;
        if (r == 0) return cli_fail(CLI_EXIT_USAGE, "unknown option '%s' (see wasmguard --help)", a);
    }
    return CLI_EXIT_OK;
}

int main(int argc, char **argv)
{
    cli_options opts = {0};
    int i = 1;
    int rc = cli_parse_options(argc, argv, &i, &opts);
    if (rc != CLI_EXIT_OK) return rc;
    if (opts.help) { cli_print_help(stdout); return CLI_EXIT_OK; }
    if (opts.version) { printf("wasmguard " CLI_VERSION "\n"); return CLI_EXIT_OK; }
    if (i >= argc) return cli_fail(CLI_EXIT_USAGE, "no command given (see wasmguard --help)");
    const char *name = argv[i++];
    for (size_t c = 0; c < NCOMMANDS; c++) {
        if (strcmp(name, commands[c].name) != 0) continue;
        if (commands[c].own_options) return commands[c].run(argc - i, argv + i, &opts);
        rc = cli_parse_options(argc, argv, &i, &opts);
        if (rc != CLI_EXIT_OK) return rc;
        if (opts.help) { cli_print_help(stdout); return CLI_EXIT_OK; }
        if (opts.version) { printf("wasmguard " CLI_VERSION "\n"); return CLI_EXIT_OK; }
        return commands[c].run(argc - i, argv + i, &opts);
    }
    return cli_fail(CLI_EXIT_USAGE, "unknown command '%s' (see wasmguard --help)", name);
}
