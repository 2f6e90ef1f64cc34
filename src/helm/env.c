/*
 * env.c - the environment a Helm plugin's sandbox sees: Helm's plugin
 * variables and nothing else of the host's.
 *
 * Helm 4 builds them in pkg/cli/environment.go (EnvSettings.EnvVars, with
 * the defaults of New and pkg/helmpath/lazypath.go: HELM_*_HOME, else the
 * XDG variable, else ~/.cache, ~/.config, ~/.local/share) and adds
 * HELM_PLUGIN_NAME and HELM_PLUGIN_DIR (internal/plugin/
 * runtime_subprocess.go).  Each value here is the host variable of that
 * name when set, else Helm's default - except HELM_KUBETOKEN, a bearer
 * token, which is never passed (Helm 4 passes it, and the whole host
 * environment besides).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helm/helm.h"

/* A Helm variable: its name and default (NULL: empty; a "~" default is a
   path under a Helm home, see home_path). */
typedef struct helm_var {
    const char *name;
    const char *dflt;
} helm_var;

static const helm_var vars[] = {
    {"HELM_BIN", "helm"},
    {"HELM_DEBUG", "false"},
    {"HELM_NAMESPACE", "default"},
    {"HELM_MAX_HISTORY", "10"},
    {"HELM_BURST_LIMIT", "100"},
    {"HELM_QPS", "0.00"},
    {"HELM_KUBECONTEXT", NULL},
    {"HELM_KUBEASUSER", NULL},
    {"HELM_KUBEASGROUPS", NULL},
    {"HELM_KUBEAPISERVER", NULL},
    {"HELM_KUBECAFILE", NULL},
    {"HELM_KUBEINSECURE_SKIP_TLS_VERIFY", "false"},
    {"HELM_KUBETLS_SERVER_NAME", NULL},
};
#define NVARS (sizeof vars / sizeof vars[0])

/* Helm's homes: HELM_X_HOME, else $XDG_X_HOME/helm, else ~/DEFAULT/helm. */
static char *home(const char *helm_var, const char *xdg_var, const char *under_home)
{
    const char *v = getenv(helm_var);
    char *s = NULL;
    if (v && *v) return strdup(v);
    const char *x = getenv(xdg_var);
    if (x && *x) {
        if (asprintf(&s, "%s/helm", x) < 0) s = NULL;
    } else {
        const char *h = getenv("HOME");
        if (asprintf(&s, "%s/%s/helm", h ? h : "", under_home) < 0) s = NULL;
    }
    return s;
}

static bool add(char **env, size_t *n, const char *name, const char *value)
{
    if (asprintf(&env[*n], "%s=%s", name, value ? value : "") < 0) {
        env[*n] = NULL;
        return false;
    }
    ++*n;
    return true;
}

/* NAME=$NAME when set, else NAME=BASE/SUFFIX. */
static bool add_path(char **env, size_t *n, const char *name, const char *base,
                     const char *suffix)
{
    const char *v = getenv(name);
    if (v) return add(env, n, name, v);
    char *s = NULL;
    if (asprintf(&s, "%s/%s", base, suffix) < 0) return false;
    bool ok = add(env, n, name, s);
    free(s);
    return ok;
}

char **helm_plugin_env(const helm_plugin *p)
{
    char **env = calloc(NVARS + 16, sizeof *env);
    char *cache = home("HELM_CACHE_HOME", "XDG_CACHE_HOME", ".cache");
    char *config = home("HELM_CONFIG_HOME", "XDG_CONFIG_HOME", ".config");
    char *data = home("HELM_DATA_HOME", "XDG_DATA_HOME", ".local/share");
    size_t n = 0;
    bool ok = env && cache && config && data;
    ok = ok && add(env, &n, "HELM_PLUGIN_NAME", p->name);
    ok = ok && add(env, &n, "HELM_PLUGIN_DIR", p->dir);
    for (size_t i = 0; ok && i < NVARS; i++) {
        const char *v = getenv(vars[i].name);
        ok = add(env, &n, vars[i].name, v ? v : vars[i].dflt);
    }
    ok = ok && add(env, &n, "HELM_CACHE_HOME", cache);
    ok = ok && add(env, &n, "HELM_CONFIG_HOME", config);
    ok = ok && add(env, &n, "HELM_DATA_HOME", data);
    ok = ok && add_path(env, &n, "HELM_PLUGINS", data, "plugins");
    ok = ok && add_path(env, &n, "HELM_REGISTRY_CONFIG", config, "registry/config.json");
    ok = ok && add_path(env, &n, "HELM_REPOSITORY_CONFIG", config, "repositories.yaml");
    ok = ok && add_path(env, &n, "HELM_REPOSITORY_CACHE", cache, "repository");
    ok = ok && add_path(env, &n, "HELM_CONTENT_CACHE", cache, "content");
    const char *kubeconfig = getenv("KUBECONFIG");
    if (ok && kubeconfig && *kubeconfig) ok = add(env, &n, "KUBECONFIG", kubeconfig);
    free(cache);
    free(config);
    free(data);
    if (!ok) {
        if (env) helm_strings_free(env);
        return NULL;
    }
    return env;
}
