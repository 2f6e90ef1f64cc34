/*
 * io.c - the standard streams: copies stdin to stdout upper-cased, then
 * writes a fixed text (UTF-8, a NUL byte, a long line, no final newline)
 * to stdout and one line to stderr.  run.sh compares both byte for byte.
 */
#include <ctype.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    int c;
    while ((c = getchar()) != EOF) putchar(toupper(c));
    printf("stdin done\n");
    printf("caf\xc3\xa9 \xe2\x9c\x93\n");
    fwrite("nul:\0:end\n", 1, 10, stdout);
    for (int i = 0; i < 2000; i++) putchar('a' + i % 26);
    putchar('\n');
    fflush(stdout);
    write(1, "raw write, no newline", 21);
    fprintf(stderr, "to stderr\n");
    return 0;
}
