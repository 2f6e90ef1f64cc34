/*
 * untar.c - the helm-archive suite's driver of helm_archive_extract:
 *   untar [--max-files N] [--max-bytes N] TGZ DEST
 * prints the plugin's directory and exits 0, or prints the error on
 * stderr and exits 1 (2: usage).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helm/helm.h"

int main(int argc, char **argv)
{
    helm_archive_limits lim;
    helm_archive_limits_default(&lim);
    int i = 1;
    for (; i + 1 < argc && strncmp(argv[i], "--max-", 6) == 0; i += 2) {
        unsigned long long v = strtoull(argv[i + 1], NULL, 10);
        if (strcmp(argv[i], "--max-files") == 0) lim.max_files = v;
        else if (strcmp(argv[i], "--max-bytes") == 0) lim.max_bytes = v;
        else break;
    }
    if (argc - i != 2) {
        fprintf(stderr, "usage: untar [--max-files N] [--max-bytes N] TGZ DEST\n");
        return 2;
    }
    wasm_error err;
    wasm_error_clear(&err);
    char *dir = NULL;
    if (helm_archive_extract(argv[i], argv[i + 1], &lim, &dir, &err) != WASM_OK) {
        fprintf(stderr, "untar: %s\n", err.message);
        return 1;
    }
    printf("%s\n", dir);
    free(dir);
    return 0;
}
