/*
 * sandbox_demo.c - the `make demo` WASI example: a program that works in
 * the /tmp it was given and is refused everything else.
 *
 *   wasmguard run --tmp build/examples/sandbox_demo.wasm
 *
 * It writes a file in /tmp, reads it back and lists /tmp; then it tries
 * to read /etc/passwd three ways (by its absolute path, by climbing out
 * with "..", and through a symlink it makes in /tmp) and prints why each
 * failed.  Built with clang --target=wasm32-wasi; plain POSIX calls.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void try_read(const char *how, int dir, const char *path)
{
    int fd = dir >= 0 ? openat(dir, path, O_RDONLY) : open(path, O_RDONLY);
    if (fd < 0) {
        printf("  %-34s refused: %s\n", how, strerror(errno));
        return;
    }
    char buf[64];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("  %-34s READ IT: %.40s\n", how, buf);
    close(fd);
}

int main(void)
{
    FILE *f = fopen("/tmp/notes.txt", "w");
    if (!f) {
        printf("cannot create /tmp/notes.txt: %s (run with --tmp)\n", strerror(errno));
        return 1;
    }
    fprintf(f, "written inside the sandbox\n");
    fclose(f);

    char line[128] = "";
    f = fopen("/tmp/notes.txt", "r");
    if (f && fgets(line, sizeof line, f)) printf("read back /tmp/notes.txt: %s", line);
    if (f) fclose(f);
    if (symlink("/etc/passwd", "/tmp/passwd-link") != 0)
        printf("symlink /tmp/passwd-link refused: %s\n", strerror(errno));

    printf("ls /tmp:");
    DIR *d = opendir("/tmp");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') printf(" %s", e->d_name);
    if (d) closedir(d);
    printf("\n");

    printf("trying to read /etc/passwd:\n");
    int tmp = open("/tmp", O_RDONLY | O_DIRECTORY);
    try_read("open(\"/etc/passwd\")", -1, "/etc/passwd");
    try_read("open(\"../../etc/passwd\")", -1, "../../etc/passwd");
    try_read("openat(/tmp, \"../../etc/passwd\")", tmp, "../../etc/passwd");
    try_read("open(\"/tmp/passwd-link\")", -1, "/tmp/passwd-link");
    if (tmp >= 0) close(tmp);
    return 0;
}
