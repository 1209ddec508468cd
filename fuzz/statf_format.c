/*
 * libFuzzer harness for statf's format language, the one input of the
 * suite with a grammar: the bytes up to the first NUL are a format, the
 * rest a file name.  Each format is compiled as -c and as --printf reads
 * it, and every format that compiles is printed for a made-up file, so
 * that the directive parser, the backslash escapes, the printf flags,
 * the seconds with their fractions, the %N quoting of the name and the
 * mount table read for %m all run under AddressSanitizer and
 * UndefinedBehaviorSanitizer.
 *
 *	./configure CC=clang --enable-fuzzing && make fuzz
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

/* statf.c, with its main renamed so that libFuzzer's can run. */
int statf_main(int argc, char *argv[]);
#define main statf_main
#include "../tools/statf.c"
#undef main

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct statx root;
static uint64_t root_mnt_id;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* The output is not looked at: only what producing it does. */
	if (freopen("/dev/null", "w", stdout) == NULL)
		err(1, "/dev/null");
	/* A multibyte locale, so that %N classifies characters as in use. */
	setlocale(LC_ALL, "C.UTF-8");
	/* A mount id that is in the mount table, so that %m prints quietly. */
	if (statx(AT_FDCWD, "/", 0, STATX_MNT_ID, &root) == 0 &&
	    (root.stx_mask & STATX_MNT_ID))
		root_mnt_id = root.stx_mnt_id;
	return 0;
}

/*
 * Whether printing f stays small: a width or precision of two billion
 * is valid, and prints two billion bytes, which says nothing new.
 */
static bool
output_is_small(const struct format *f)
{
	for (size_t i = 0; i < f->n; i++) {
		const char *s = f->items[i].spec;
		for (size_t j = 0; s != NULL && j < f->items[i].len; j++) {
			if (!isdigit((unsigned char)s[j]))
				continue;
			if (atoi(s + j) > 4096)
				return false;
			j += strspn(s + j, "0123456789");
		}
	}
	return true;
}

static void
fuzz_one(const char *src, const char *name, uint8_t kind)
{
	static const mode_t modes[] = { S_IFREG | 0644, S_IFDIR | 0755,
	    S_IFCHR | 0666, S_IFIFO | 0600, S_IFREG | 07777, S_IFSOCK };
	struct format f;
	struct file file = { .name = name, .is_stdin = false };
	char msg[256];
	bool escapes = kind & 1;

	if (format_compile(&f, src, escapes, !escapes, msg, sizeof(msg)) != 0)
		return;
	memset(&file.stx, 0, sizeof(file.stx));
	file.stx.stx_mode = (uint16_t)modes[(kind >> 1) % 6];
	file.stx.stx_mask = (kind & 0x80 ? STATF_MASK : STATX_BASIC_STATS) |
	    (root_mnt_id != 0 ? STATX_MNT_ID : 0);
	file.stx.stx_mnt_id = root_mnt_id;
	/* Times on both sides of the epoch, nanoseconds included. */
	file.stx.stx_mtime.tv_sec = kind & 0x40 ? -1234567890 : 1767323045;
	file.stx.stx_mtime.tv_nsec = 123456789;
	file.stx.stx_atime.tv_sec = kind & 0x20 ? -1 : 0;
	file.stx.stx_atime.tv_nsec = kind & 0x10 ? 999999999 : 1;
	file.stx.stx_btime.tv_sec = INT32_MAX;
	file.stx.stx_ctime.tv_sec = kind & 0x08 ? INT64_MAX / 2 : -INT64_MAX / 2;
	file.stx.stx_size = UINT64_MAX >> (kind & 7);
	file.stx.stx_uid = 65534;
	file.stx.stx_gid = (uint32_t)-2;
	file.stx.stx_rdev_major = 4095;
	file.stx.stx_rdev_minor = 1048575;
	if (output_is_small(&f))
		format_print(&f, &file);
	format_free(&f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *src, *name;
	size_t fmtlen;
	uint8_t kind;

	if (size == 0)
		return 0;
	/* The first byte picks the options and the made-up file. */
	kind = data[0];
	data++;
	size--;
	src = xstrndup((const char *)data, size);
	fmtlen = strlen(src);
	name = fmtlen < size ? src + fmtlen + 1 : (char *)"name";
	if (*name == '\0')
		name = (char *)"name";
	fuzz_one(src, name, kind);
	fuzz_one(src, name, kind ^ 1);
	free(src);
	return 0;
}
