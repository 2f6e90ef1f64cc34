/*
 * cli.h - the wasmguard command-line tool (internal to src/cli/).
 *
 * main.c parses the options and dispatches to a command through a table
 * (cli_commands); each command is a function in its own file taking the
 * arguments after the command's options.  Every failure is reported as
 * one line "wasmguard: <message>" on stderr and maps to an exit code.
 */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "helm/helm.h"
#include "wasm/wasm.h"

#define CLI_VERSION "0.1.0"

/* Exit codes, documented in --help. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_USAGE = 1,        /* bad command line */
    CLI_EXIT_LOAD = 2,         /* module malformed, invalid or unlinkable */
    CLI_EXIT_TRAP = 3,
    CLI_EXIT_FUEL = 4,
    CLI_EXIT_INTERRUPTED = 5,  /* --timeout or an interrupt */
    CLI_EXIT_OTHER = 6,
};

/* Exit codes of `wasmguard run`, which follow the shell's conventions
   because the guest's own exit code passes through (documented in --help). */
enum {
    CLI_RUN_EXIT_USAGE = 2,        /* bad command line */
    CLI_RUN_EXIT_OTHER = 70,       /* any other host error (EX_SOFTWARE) */
    CLI_RUN_EXIT_TIMEOUT = 124,    /* --timeout (as timeout(1)) */
    CLI_RUN_EXIT_FUEL = 125,       /* fuel exhausted */
    CLI_RUN_EXIT_LOAD = 126,       /* the module could not be loaded or linked */
    CLI_RUN_EXIT_SIGNAL = 128,     /* + the number of SIGINT or SIGTERM */
    CLI_RUN_EXIT_TRAP = 134,       /* the guest trapped (128 + SIGABRT) */
};

/* Exit codes of `wasmguard call` (documented in --help). */
enum {
    CLI_CALL_EXIT_FAILED = 1,   /* the plugin failed: its error, a non-zero return */
    CLI_CALL_EXIT_USAGE = 2,    /* bad command line, no such function */
    CLI_CALL_EXIT_TRAP = 3,     /* the plugin trapped */
    CLI_CALL_EXIT_TIMEOUT = 4,  /* --timeout (timeout_ms) or interrupted */
    CLI_CALL_EXIT_LIMIT = 5,    /* memory, output, fuel or another limit */
    CLI_CALL_EXIT_LOAD = 6,     /* the manifest or a module could not be loaded */
    CLI_CALL_EXIT_OTHER = 70,   /* any other host error (EX_SOFTWARE) */
};

/* Exit codes of `wasmguard plugin run`, `get` and `post-render`, one per
   way a Helm plugin can fail (helm_error_kind; documented in --help). */
enum {
    CLI_HELM_EXIT_FAILED = 1,   /* the plugin failed with its own message */
    CLI_HELM_EXIT_USAGE = 2,    /* bad command line, no such plugin, wrong type */
    CLI_HELM_EXIT_CODE = 3,     /* non-zero return or exit code, no message */
    CLI_HELM_EXIT_TRAP = 4,     /* the plugin trapped */
    CLI_HELM_EXIT_TIMEOUT = 5,  /* the timeout expired */
    CLI_HELM_EXIT_MEMORY = 6,   /* the memory cap stopped it */
    CLI_HELM_EXIT_OUTPUT = 7,   /* its output is not the type's message */
    CLI_HELM_EXIT_LOAD = 8,     /* plugin.wasm missing or invalid, unknown host function */
    CLI_HELM_EXIT_REFUSED = 9,  /* a subprocess plugin: not sandboxed, not run */
    CLI_HELM_EXIT_LIMIT = 10,   /* another limit: output, vars, fuel */
    CLI_HELM_EXIT_OTHER = 70,   /* any other host error (EX_SOFTWARE) */
};

/* Exit codes of `wasmguard plugin list` and `plugin lint` (plugin.c;
   documented in --help). */
enum {
    CLI_PLUGIN_EXIT_PROBLEM = 1,  /* lint: the plugin has a problem; list: a name twice */
    CLI_PLUGIN_EXIT_USAGE = 2,    /* bad command line */
    CLI_PLUGIN_EXIT_OTHER = 70,   /* any other host error (EX_SOFTWARE) */
};

/* Options that may come before FILE (or before the command). */
typedef struct cli_options {
    bool help, version;
    bool has_fuel;
    int64_t fuel;
    bool has_timeout;
    uint64_t timeout_ms;
    bool has_memory_max;
    uint32_t memory_max;
} cli_options;

/* A command: `run` gets the arguments after its options, or all the
   arguments after the command's name when own_options is set (it then
   parses them itself, with cli_parse_common_option for the common ones). */
typedef struct cli_command {
    const char *name;
    const char *usage;    /* its arguments, for --help */
    const char *summary;  /* one line, for --help */
    int (*run)(int argc, char **argv, const cli_options *opts);
    bool own_options;
} cli_command;

/* Parses options from argv[*i] on, stopping at the first non-option (or
   after "--"); returns CLI_EXIT_OK or CLI_EXIT_USAGE (reported). */
int cli_parse_options(int argc, char **argv, int *i, cli_options *opts);
/* Parses argv[*i] if it is one of the common options above, leaving *i
   on its last word: 1 when it was, 0 when it is not a common option, -1
   when its value is bad (reported). */
int cli_parse_common_option(int argc, char **argv, int *i, cli_options *opts);
/* The text of `wasmguard --help`. */
void cli_print_help(FILE *out);

/* Prints "wasmguard: <message>" on stderr and returns code. */
int cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The exit code of an engine status; `loading` when it came from
   decoding or instantiating. */
int cli_exit_code(wasm_status status, bool loading);
/* Writes name as printable text (other bytes as \xNN) into buf. */
const char *cli_printable(char *buf, size_t size, const char *name, size_t len);

/* A module instantiated in a store of its own (load.c). */
typedef struct cli_session {
    wasm_store *store;
    wasm_module *module;
    wasm_instance *inst;
} cli_session;

/* Reads a whole file (malloc'd); reports failure and returns NULL. */
uint8_t *cli_read_file(const char *path, size_t *size);

/* Reads, decodes and instantiates path with no imports, applying the
   options (fuel, deadline, memory cap).  Returns an exit code, having
   reported any failure. */
int cli_session_open(cli_session *s, const char *path, const cli_options *opts);
void cli_session_close(cli_session *s);

/* Values (values.c). */
const char *cli_type_name(uint8_t type);
bool cli_parse_value(const char *text, uint8_t type, wasm_val *out);
void cli_print_value(FILE *out, uint8_t type, wasm_val v);

/* The options of the Helm plugin commands (plugin_run.c). */
typedef struct cli_helm_options {
    cli_options common;         /* --memory-max, --timeout, --fuel, --help */
    helm_run_options run;
    const char *audit;          /* --audit FILE */
    FILE *audit_file;
    bool learn;                 /* --learn: o->run.learn is &usage */
    helm_usage usage;
} cli_helm_options;

void cli_helm_options_init(cli_helm_options *o, const cli_options *common);
/* Parses the options from argv[*i] up to the first word that is not one
   (or after "--"), applying them to o->run; returns CLI_EXIT_OK or
   CLI_HELM_EXIT_USAGE (reported).  Opens --audit. */
int cli_helm_parse_options(int argc, char **argv, int *i, cli_helm_options *o);
void cli_helm_options_close(cli_helm_options *o);
/* With --learn, when p's sandbox ran: writes the learned runtimeConfig
   to stderr (stdout stays the plugin's). */
void cli_helm_print_learned(const cli_helm_options *o, const helm_plugin *p);
/* Loads the installed plugins (broken ones reported on stderr); returns
   an exit code, having reported any failure. */
int cli_helm_find_plugins(helm_plugin_set *set);
/* The plugin of set named name, of type `type`, extism/v1: an exit code
   (reported) when it is not there or not runnable. */
int cli_helm_pick(const helm_plugin_set *set, const char *name, const char *type,
                  const helm_plugin **out);
/* Reports err ("wasmguard: plugin NAME: cause") and returns its exit code. */
int cli_helm_fail(helm_error_kind kind, const helm_error *err);
/* The start every Helm command shares: the options parsed (*i left at
   the first operand) and, with --help, the help printed.  false when the
   command ends there, *rc its exit code. */
bool cli_helm_start(int argc, char **argv, cli_helm_options *o, int *i, int *rc);
/* For `plugin run` and `post-render`: argv[i] names an installed plugin
   of type `type` (usage reported when there is no argv[i]); loads set
   and returns an exit code, having reported any failure. */
int cli_helm_named_plugin(int argc, char **argv, int i, const char *type, const char *usage,
                          helm_plugin_set *set, const helm_plugin **out);

/* Commands. */
int cli_cmd_invoke(int argc, char **argv, const cli_options *opts);
int cli_cmd_run(int argc, char **argv, const cli_options *opts);
int cli_cmd_call(int argc, char **argv, const cli_options *opts);
int cli_cmd_plugin_run(int argc, char **argv, const cli_options *opts);
/* `plugin package DIR [-d DEST] [--sign --key NAME --keyring FILE]` (plugin_package.c). */
int cli_cmd_plugin_package(int argc, char **argv, const cli_options *opts);
/* `plugin verify PATH.tgz [--keyring FILE]` (plugin_verify.c). */
int cli_cmd_plugin_verify(int argc, char **argv, const cli_options *opts);
/* `plugin install SOURCE [--verify=false] [--keyring FILE] [--yes]`,
   `plugin uninstall NAME...`, `plugin grants NAME` (plugin_install.c). */
int cli_cmd_plugin_install(int argc, char **argv, const cli_options *opts);
/* `plugin update NAME [SOURCE] [--verify=false] [--keyring FILE] [--yes]`
   (plugin_install.c). */
int cli_cmd_plugin_update(int argc, char **argv, const cli_options *opts);
int cli_cmd_plugin_uninstall(int argc, char **argv, const cli_options *opts);
int cli_cmd_plugin_grants(int argc, char **argv, const cli_options *opts);
/* `plugin SUBCOMMAND ...` (plugin.c): the table of subcommands. */
int cli_cmd_plugin(int argc, char **argv, const cli_options *opts);
/* The plugin subcommands' part of --help. */
void cli_plugin_print_help(FILE *out);
int cli_cmd_get(int argc, char **argv, const cli_options *opts);
int cli_cmd_post_render(int argc, char **argv, const cli_options *opts);

/* args.c: "--name VALUE" or "--name=VALUE"; counts in decimal. */
bool cli_is_option(const char *arg, const char *name);
const char *cli_option_value(int argc, char **argv, int *i, const char *name);
bool cli_parse_u64(const char *s, uint64_t *out);
/* argv[*i] is option name with a value: *out, *i moved past it. */
bool cli_take_option(int argc, char **argv, int *i, const char *name, const char **out);
/* The arguments of a `plugin` subcommand (cmd: "plugin install"): each
   option is offered to `option` first (true when it took argv[*i],
   moving *i past a value of its own); -h/--help prints the help; any
   other option is an error; the rest are up to npos positional
   arguments, into pos[] (NULL when absent; `takes` names them for the
   error, e.g. "one SOURCE").  false when the command ends here, with
   *rc its exit code (CLI_EXIT_OK after --help). */
typedef bool (*cli_option_fn)(int argc, char **argv, int *i, void *user);
bool cli_subcommand_args(int argc, char **argv, const char *cmd, const char *takes,
                         cli_option_fn option, void *user, const char **pos, int npos, int *rc);
/* A directory argument with its trailing slashes dropped, into out. */
void cli_dir_arg(const char *dir, char *out, size_t outsz);

#endif
