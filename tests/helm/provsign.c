/*
 * provsign.c - a tiny driver of helm_prov_sign and helm_prov_verify for
 * tests/helm/prov.sh, so the suite signs without `plugin package`.
 *
 *   provsign sign TGZ PLUGIN_YAML KEY_NAME SECRET_KEYRING
 *       writes TGZ.prov; prints its path
 *   provsign verify TGZ KEYRING [PROV]
 *       prints "ok KEYID FINGERPRINT" or "refused KIND: message"
 *       (KIND the helm_prov_failure number); exit 0 only when verified
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helm/helm.h"

int main(int argc, char **argv)
{
    wasm_error err;
    wasm_error_clear(&err);
    if (argc == 6 && strcmp(argv[1], "sign") == 0) {
        char *prov = NULL;
        if (helm_prov_sign(argv[2], argv[3], argv[4], argv[5], &prov, &err) != WASM_OK) {
            fprintf(stderr, "provsign: %s\n", err.message);
            return 1;
        }
        printf("%s\n", prov);
        free(prov);
        return 0;
    }
    if ((argc == 4 || argc == 5) && strcmp(argv[1], "verify") == 0) {
        helm_prov_result r;
        wasm_status st = helm_prov_verify(argv[2], argc == 5 ? argv[4] : NULL, argv[3], &r, &err);
        if (st != WASM_OK || r.failure != HELM_PROV_OK) {
            printf("refused %d: %s\n", (int)r.failure, err.message);
            return 1;
        }
        printf("ok %s %s\n", r.key_id, r.fingerprint);
        return 0;
    }
    fprintf(stderr, "usage: provsign sign TGZ PLUGIN_YAML KEY SECRET_KEYRING | "
                    "verify TGZ KEYRING [PROV]\n");
    return 2;
}
