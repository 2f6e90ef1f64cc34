/*
 * abi.h - the numbers and layouts of wasi_snapshot_preview1, from the
 * witx definitions of the WASI repository (phases/snapshot/witx).  Guest
 * structs are written byte by byte at these offsets, little-endian.
 */
#ifndef WASI_ABI_H
#define WASI_ABI_H

/* errno (u16) */
enum {
    WASI_ESUCCESS = 0, WASI_E2BIG = 1, WASI_EACCES = 2, WASI_EAGAIN = 6,
    WASI_EBADF = 8, WASI_EBUSY = 10, WASI_ECANCELED = 11, WASI_EEXIST = 20,
    WASI_EFAULT = 21, WASI_EFBIG = 22, WASI_EILSEQ = 25, WASI_EINTR = 27,
    WASI_EINVAL = 28, WASI_EIO = 29, WASI_EISDIR = 31, WASI_ELOOP = 32,
    WASI_EMFILE = 33, WASI_EMLINK = 34, WASI_ENAMETOOLONG = 37, WASI_ENFILE = 41,
    WASI_ENODEV = 43, WASI_ENOENT = 44, WASI_ENOMEM = 48, WASI_ENOSPC = 51,
    WASI_ENOSYS = 52, WASI_ENOTDIR = 54, WASI_ENOTEMPTY = 55, WASI_ENOTSOCK = 57,
    WASI_ENOTSUP = 58, WASI_ENOTTY = 59, WASI_ENXIO = 60, WASI_EOVERFLOW = 61,
    WASI_EPERM = 63, WASI_EPIPE = 64, WASI_ERANGE = 68, WASI_EROFS = 69,
    WASI_ESPIPE = 70, WASI_ETIMEDOUT = 73, WASI_ETXTBSY = 74, WASI_EXDEV = 75,
    WASI_ENOTCAPABLE = 76,
};

/* filetype (u8) */
enum {
    WASI_FILETYPE_UNKNOWN = 0, WASI_FILETYPE_BLOCK_DEVICE = 1,
    WASI_FILETYPE_CHARACTER_DEVICE = 2, WASI_FILETYPE_DIRECTORY = 3,
    WASI_FILETYPE_REGULAR_FILE = 4, WASI_FILETYPE_SOCKET_DGRAM = 5,
    WASI_FILETYPE_SOCKET_STREAM = 6, WASI_FILETYPE_SYMBOLIC_LINK = 7,
};

/* rights (u64) */
#define WASI_RIGHT_FD_DATASYNC (1ull << 0)
#define WASI_RIGHT_FD_READ (1ull << 1)
#define WASI_RIGHT_FD_SEEK (1ull << 2)
#define WASI_RIGHT_FD_FDSTAT_SET_FLAGS (1ull << 3)
#define WASI_RIGHT_FD_SYNC (1ull << 4)
#define WASI_RIGHT_FD_TELL (1ull << 5)
#define WASI_RIGHT_FD_WRITE (1ull << 6)
#define WASI_RIGHT_FD_ADVISE (1ull << 7)
#define WASI_RIGHT_FD_ALLOCATE (1ull << 8)
#define WASI_RIGHT_PATH_CREATE_DIRECTORY (1ull << 9)
#define WASI_RIGHT_PATH_CREATE_FILE (1ull << 10)
#define WASI_RIGHT_PATH_LINK_SOURCE (1ull << 11)
#define WASI_RIGHT_PATH_LINK_TARGET (1ull << 12)
#define WASI_RIGHT_PATH_OPEN (1ull << 13)
#define WASI_RIGHT_FD_READDIR (1ull << 14)
#define WASI_RIGHT_PATH_READLINK (1ull << 15)
#define WASI_RIGHT_PATH_RENAME_SOURCE (1ull << 16)
#define WASI_RIGHT_PATH_RENAME_TARGET (1ull << 17)
#define WASI_RIGHT_PATH_FILESTAT_GET (1ull << 18)
#define WASI_RIGHT_PATH_FILESTAT_SET_SIZE (1ull << 19)
#define WASI_RIGHT_PATH_FILESTAT_SET_TIMES (1ull << 20)
#define WASI_RIGHT_FD_FILESTAT_GET (1ull << 21)
#define WASI_RIGHT_FD_FILESTAT_SET_SIZE (1ull << 22)
#define WASI_RIGHT_FD_FILESTAT_SET_TIMES (1ull << 23)
#define WASI_RIGHT_PATH_SYMLINK (1ull << 24)
#define WASI_RIGHT_PATH_REMOVE_DIRECTORY (1ull << 25)
#define WASI_RIGHT_PATH_UNLINK_FILE (1ull << 26)
#define WASI_RIGHT_POLL_FD_READWRITE (1ull << 27)
#define WASI_RIGHT_SOCK_SHUTDOWN (1ull << 28)
#define WASI_RIGHT_SOCK_ACCEPT (1ull << 29)
#define WASI_RIGHTS_ALL ((1ull << 30) - 1)

/* What a read-only grant keeps: reading, listing, stat, seeking. */
#define WASI_RIGHTS_READONLY                                                   \
    (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK | WASI_RIGHT_FD_TELL |            \
     WASI_RIGHT_FD_ADVISE | WASI_RIGHT_PATH_OPEN | WASI_RIGHT_FD_READDIR |     \
     WASI_RIGHT_PATH_READLINK | WASI_RIGHT_PATH_FILESTAT_GET |                 \
     WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_POLL_FD_READWRITE |               \
     WASI_RIGHT_FD_FDSTAT_SET_FLAGS)

/* fdflags (u16) */
#define WASI_FDFLAG_APPEND 1u
#define WASI_FDFLAG_DSYNC 2u
#define WASI_FDFLAG_NONBLOCK 4u
#define WASI_FDFLAG_RSYNC 8u
#define WASI_FDFLAG_SYNC 16u

/* oflags (u16) */
#define WASI_O_CREAT 1u
#define WASI_O_DIRECTORY 2u
#define WASI_O_EXCL 4u
#define WASI_O_TRUNC 8u

/* lookupflags (u32) */
#define WASI_LOOKUP_SYMLINK_FOLLOW 1u

/* fstflags (u16) */
#define WASI_FSTFLAG_ATIM 1u
#define WASI_FSTFLAG_ATIM_NOW 2u
#define WASI_FSTFLAG_MTIM 4u
#define WASI_FSTFLAG_MTIM_NOW 8u

/* whence (u8) */
enum { WASI_WHENCE_SET = 0, WASI_WHENCE_CUR = 1, WASI_WHENCE_END = 2 };

/* clockid (u32) */
enum {
    WASI_CLOCK_REALTIME = 0, WASI_CLOCK_MONOTONIC = 1,
    WASI_CLOCK_PROCESS_CPUTIME = 2, WASI_CLOCK_THREAD_CPUTIME = 3,
};

/* eventtype (u8), subclockflags (u16) */
enum { WASI_EVENT_CLOCK = 0, WASI_EVENT_FD_READ = 1, WASI_EVENT_FD_WRITE = 2 };
#define WASI_SUBCLOCK_ABSTIME 1u
#define WASI_EVENT_FD_READWRITE_HANGUP 1u

/* preopentype (u8) */
enum { WASI_PREOPEN_DIR = 0 };

/* Layouts: sizes and field offsets in guest memory. */
enum {
    WASI_IOVEC_SIZE = 8,          /* buf u32 @0, len u32 @4 */
    WASI_FDSTAT_SIZE = 24,        /* filetype u8 @0, flags u16 @2, rights u64 @8, inheriting u64 @16 */
    WASI_FILESTAT_SIZE = 64,      /* dev @0 ino @8 filetype u8 @16 nlink @24 size @32 atim @40 mtim @48 ctim @56 */
    WASI_PRESTAT_SIZE = 8,        /* tag u8 @0, name_len u32 @4 */
    WASI_DIRENT_SIZE = 24,        /* next u64 @0, ino u64 @8, namlen u32 @16, type u8 @20; name follows */
    WASI_SUBSCRIPTION_SIZE = 48,  /* userdata u64 @0, tag u8 @8, clock: id u32 @16, timeout u64 @24,
                                     precision u64 @32, flags u16 @40; fd_readwrite: fd u32 @16 */
    WASI_EVENT_SIZE = 32,         /* userdata u64 @0, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24 */
};

#endif
