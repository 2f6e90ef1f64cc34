/*
 * digest.c - the SHA-256 of a file, or of bytes read already, as Helm
 * writes it ("sha256:<hex>"), shared by provenance checks, the
 * PROVENANCE column and grant records.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "helm/helm.h"

static void write_hex(const unsigned char md[32], char out[HELM_SHA256_LEN + 1])
{
    memcpy(out, "sha256:", 7);
    for (unsigned i = 0; i < 32; i++) snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
}

bool helm_sha256_file(const char *path, char out[HELM_SHA256_LEN + 1])
{
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    size_t n;
    while (ok && (n = fread(buf, 1, sizeof buf, f)) > 0) ok = EVP_DigestUpdate(ctx, buf, n);
    int saved = errno;
    ok = ok && !ferror(f) && EVP_DigestFinal_ex(ctx, md, &mdlen) && mdlen == 32;
    EVP_MD_CTX_free(ctx);
    fclose(f);
    if (!ok) {
        errno = saved ? saved : EIO;
        return false;
    }
    write_hex(md, out);
    return true;
}

bool helm_sha256_bytes(const void *data, size_t len, char out[HELM_SHA256_LEN + 1])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) return false;
    write_hex(md, out);
    return true;
}
