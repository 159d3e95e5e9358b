// SPDX-License-Identifier: Apache-2.0
/*
 * Process rows (--process-rows, README.md "Process rows"). Most processes on a busy machine are leaves that live a
 * few milliseconds (a shell loop's /bin/true): exec, exit, nothing else. Each exec record is held until the round's
 * end. When its process's exit comes first, with no other record of the process between (no file, no connection, no
 * fork: nothing can name it later), the ProcessCreated row's own columns are made here, as the agent's ProcessSensor
 * makes them, and written as one 'P' record instead of the exec and the exit: the agent only adds the parent's
 * InitiatingProcess* columns, and keeps no entry for the process. Any other record of the process, or the round's
 * end, writes the exec as it came. So does an exec whose row the agent would complete from /proc or by a look of its
 * own (a relative file name, cut arguments, an image that is not where the file name leads or is larger than
 * IMAGE_MAX, bytes beyond ASCII, whose decoding and quoting are the agent's).
 */
#define _GNU_SOURCE
#include "leaf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef VIGIL_HASH
#include <openssl/evp.h>
#endif

#include "settle.h"

/* Exec records held at most (a round of 200 ms of a shell loop holds a few hundred), and their bytes. */
#define HELD_MAX 4096
#define HELD_SLOTS 8192
#define ARENA_BYTES (2u << 20)
#define E_FIXED 96
#define P_FIXED 48
/* Images up to this size are hashed here (the agent hashes those at once: FileHasher's SYNC_MAX_BYTES). */
#define IMAGE_MAX (1024 * 1024)
#define REAL_SLOTS 64
#define IMAGE_SLOTS 64
/* A record is at most 64 KiB (the agent's MAX_COLLECTOR_RECORD). */
#define JSON_MAX (64 * 1024 - P_FIXED)
/* The command line of 4096 bytes of arguments: each at most doubled, quoted and spaced. */
#define CMD_MAX (5 * 4096 + 16)
/* The longest execve file name of an exec record (512 bytes), with its NUL. */
#define FILENAME_BYTES 513
#define ID_OFF 48
#define ID_BYTES 44

struct held {
	uint32_t pid, off, size;
	bool live;
};

/* execve file name → its real path (resolveImagePath's cache: used while its base name is the image's name). */
struct real {
	char from[FILENAME_BYTES];
	char to[PATH_MAX];
};

/* An image's hashes, by the identity its exec record carries (FileHasher.hashImage's cache). */
struct image {
	bool set;
	unsigned char id[ID_BYTES];
	unsigned char sha1[20], sha256[32], md5[16];
};

static void (*out)(const void *data, size_t size);
static struct held held[HELD_MAX];
static int n_held;
/* pid → held index + 1 (direct-mapped: a second live exec in a taken slot is not held). */
static uint16_t slots[HELD_SLOTS];
static unsigned char arena[ARENA_BYTES];
static size_t arena_len;
static struct real reals[REAL_SLOTS];
static struct image images[IMAGE_SLOTS];
static unsigned char file_buf[IMAGE_MAX + 1];
static char cmd[CMD_MAX];
/* Each byte of a string takes at most 6 in JSON (\u00XX). */
static unsigned char json[6 * (CMD_MAX + PATH_MAX + NAME_MAX) + 1024];

static uint32_t u32_of(const unsigned char *r, size_t off)
{
	uint32_t v;
	memcpy(&v, r + off, 4);
	return v;
}

static uint16_t u16_of(const unsigned char *r, size_t off)
{
	uint16_t v;
	memcpy(&v, r + off, 2);
	return v;
}

static int64_t s64_of(const unsigned char *r, size_t off)
{
	int64_t v;
	memcpy(&v, r + off, 8);
	return v;
}

static unsigned slot_of(uint32_t pid)
{
	return (pid * 2654435761u) >> 19; /* 13 bits */
}

void leaf_init(void (*put)(const void *data, size_t size))
{
	out = put;
}

static struct held *find(uint32_t pid)
{
	uint16_t s = slots[slot_of(pid)];
	struct held *h = s ? &held[s - 1] : NULL;
	return h && h->live && h->pid == pid ? h : NULL;
}

static void unhold(struct held *h)
{
	h->live = false;
	slots[slot_of(h->pid)] = 0;
}

/* Writes a held exec as it came. */
static void release(struct held *h)
{
	out(arena + h->off, h->size);
	unhold(h);
}

void leaf_other(const unsigned char *rec)
{
	struct held *h = find(u32_of(rec, 16));
	if (h)
		release(h);
}

static bool ascii(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 0x80)
			return false;
	return true;
}

/* Whether the agent would make this exec's row from the record alone, as a leaf here can be made. */
static bool row_from_record(const unsigned char *r, size_t size)
{
	size_t fl = u16_of(r, 40), nl = u16_of(r, 42), al = u16_of(r, 44);
	const unsigned char *s = r + E_FIXED;
	uint64_t ino, isize;

	if (size < E_FIXED || E_FIXED + fl + nl + al > size)
		return false;
	memcpy(&ino, r + ID_OFF, 8);
	memcpy(&isize, r + ID_OFF + 8, 8);
	/* Cut arguments (the agent reads /proc), a relative file name (it reads /proc/PID/exe), no image name (it
	 * looks for one), no identity (it stats the path), a large image (it streams it). */
	return u32_of(r, 28) == al && fl > 0 && s[0] == '/' && fl < FILENAME_BYTES && nl > 0 &&
	       ino != 0 && isize <= IMAGE_MAX && s64_of(r, ID_OFF + 16) >= 0 && s64_of(r, ID_OFF + 32) >= 0 &&
	       ascii(s, fl + nl + al);
}

bool leaf_exec(const unsigned char *rec, size_t size, uint32_t parent)
{
	uint32_t pid = u32_of(rec, 16);
	struct held *h = find(pid);
	unsigned s = slot_of(pid);

	if (h)
		release(h); /* it exec'd again: the first image was no leaf */
	if (!row_from_record(rec, size) || slots[s] || n_held == HELD_MAX || arena_len + size > sizeof(arena))
		return false;
	h = &held[n_held++];
	h->pid = pid;
	h->off = (uint32_t)arena_len;
	h->size = (uint32_t)size;
	h->live = true;
	memcpy(arena + arena_len, rec, size);
	if (parent)
		memcpy(arena + arena_len + 20, &parent, 4);
	arena_len += size;
	slots[s] = (uint16_t)n_held;
	return true;
}

void leaf_round_end(void)
{
	for (int i = 0; i < n_held; i++)
		if (held[i].live)
			release(&held[i]);
	n_held = 0;
	arena_len = 0;
}

static bool base_is(const char *path, const unsigned char *name, size_t nl)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	return strlen(b) == nl && !memcmp(b, name, nl);
}

/* resolveImagePath for an absolute file name: its real path when that ends in the image's name, else NULL. */
static const char *real_path(const char *filename, const unsigned char *name, size_t nl)
{
	struct real *c = &reals[fnv1a(filename, strlen(filename)) % REAL_SLOTS];
	char buf[PATH_MAX];

	if (!strcmp(c->from, filename) && base_is(c->to, name, nl))
		return c->to;
	if (!realpath(filename, buf))
		return NULL;
	strcpy(c->from, filename);
	strcpy(c->to, buf);
	return base_is(buf, name, nl) ? c->to : NULL;
}

/* The hashes of the image at `path`, when the file there has the identity `id` (dev, ino, size, mtime, ctime). */
static const struct image *image_of(const char *path, const unsigned char *id)
{
	struct image *c = &images[fnv1a(id, ID_BYTES) % IMAGE_SLOTS];
	struct stat st;
	uint64_t ino, size;
	int64_t msec, csec;
	uint32_t mnsec, dev, cnsec;
	size_t got = 0;
	ssize_t n;
	int fd;

	if (c->set && !memcmp(c->id, id, ID_BYTES))
		return c;
	memcpy(&ino, id, 8);
	memcpy(&size, id + 8, 8);
	memcpy(&msec, id + 16, 8);
	memcpy(&mnsec, id + 24, 4);
	memcpy(&dev, id + 28, 4);
	memcpy(&csec, id + 32, 8);
	memcpy(&cnsec, id + 40, 4);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOATIME);
	if (fd < 0)
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_dev != dev || st.st_ino != ino ||
	    (uint64_t)st.st_size != size || st.st_mtim.tv_sec != msec || (uint32_t)st.st_mtim.tv_nsec != mnsec ||
	    st.st_ctim.tv_sec != csec || (uint32_t)st.st_ctim.tv_nsec != cnsec) {
		close(fd);
		return NULL;
	}
	while (got < sizeof(file_buf) &&
	       ((n = read(fd, file_buf + got, sizeof(file_buf) - got)) > 0 || (n < 0 && errno == EINTR)))
		if (n > 0)
			got += (size_t)n;
	close(fd);
#ifndef VIGIL_HASH
	return NULL; /* --process-rows needs libcrypto */
#else
	if (got != size || !EVP_Digest(file_buf, got, c->sha1, NULL, EVP_sha1(), NULL) ||
	    !EVP_Digest(file_buf, got, c->sha256, NULL, EVP_sha256(), NULL) ||
	    !EVP_Digest(file_buf, got, c->md5, NULL, EVP_md5(), NULL)) {
		c->set = false;
		return NULL;
	}
	memcpy(c->id, id, ID_BYTES);
	c->set = true;
	return c;
#endif
}

/*
 * The agent's argvToCommandLine of ASCII arguments (the raw area, NUL-separated, without an empty one after a final
 * NUL): an argument that is empty or holds white space or '"' is quoted, its '"' escaped as \"; joined by spaces.
 */
static size_t command_line(const unsigned char *a, size_t n)
{
	size_t k = 0, start = 0;

	for (size_t i = 0; i <= n; i++) {
		if (i < n && a[i] != 0)
			continue;
		if (i == n && start == n)
			break;
		bool quote = i == start;
		for (size_t j = start; j < i && !quote; j++)
			quote = a[j] == ' ' || a[j] == '"' || (a[j] >= '\t' && a[j] <= '\r');
		if (k)
			cmd[k++] = ' ';
		if (quote)
			cmd[k++] = '"';
		for (size_t j = start; j < i; j++) {
			if (quote && a[j] == '"')
				cmd[k++] = '\\';
			cmd[k++] = (char)a[j];
		}
		if (quote)
			cmd[k++] = '"';
		start = i + 1;
	}
	return k;
}

/* The 'P' record of a held exec whose process just ended; false when the row cannot be made here. */
static bool put_leaf(const unsigned char *e)
{
	size_t fl = u16_of(e, 40), nl = u16_of(e, 42), al = u16_of(e, 44);
	const unsigned char *name = e + E_FIXED + fl, *args = name + nl;
	char filename[FILENAME_BYTES];
	const char *real, *base;
	const struct image *img;
	unsigned char r[P_FIXED];
	size_t k = 0, n;
	uint32_t size, len;
	uint64_t time_ms;
	struct timespec ts;

	memcpy(filename, e + E_FIXED, fl);
	filename[fl] = 0;
	real = real_path(filename, name, nl);
	if (!real || !ascii((const unsigned char *)real, strlen(real)))
		return false;
	img = image_of(real, e + ID_OFF);
	if (!img)
		return false;
	base = strrchr(real, '/') + 1;
	k += (size_t)sprintf((char *)json, "\"FileName\":");
	k += json_str(json + k, (const unsigned char *)base, strlen(base));
	k += (size_t)sprintf((char *)json + k, ",\"FolderPath\":");
	k += json_str(json + k, (const unsigned char *)real, strlen(real));
	k += json_hex(json + k, "SHA1", img->sha1, 20);
	k += json_hex(json + k, "SHA256", img->sha256, 32);
	k += json_hex(json + k, "MD5", img->md5, 16);
	{
		uint64_t isize;
		memcpy(&isize, e + ID_OFF + 8, 8);
		k += (size_t)sprintf((char *)json + k, ",\"FileSize\":%llu,\"ProcessId\":%u", (unsigned long long)isize,
				     u32_of(e, 16));
	}
	n = command_line(args, al);
	if (n) {
		k += (size_t)sprintf((char *)json + k, ",\"ProcessCommandLine\":");
		k += json_str(json + k, (const unsigned char *)cmd, n);
	}
	if (k > JSON_MAX)
		return false;
	clock_gettime(CLOCK_REALTIME, &ts);
	time_ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	size = (uint32_t)(P_FIXED + k);
	len = (uint32_t)k;
	memcpy(r, &size, 4);
	r[4] = 'P';
	memset(r + 5, 0, 3);
	memcpy(r + 8, e + 8, 16); /* the exec's ns and pid */
	memcpy(r + 20, e + 20, 8); /* its parent and uid */
	memcpy(r + 28, &len, 4);
	memcpy(r + 32, e + 32, 8); /* its start_boottime */
	memcpy(r + 40, &time_ms, 8);
	out(r, P_FIXED);
	out(json, k);
	return true;
}

bool leaf_exit(const unsigned char *rec)
{
	struct held *h = find(u32_of(rec, 16));

	if (!h)
		return false;
	if (put_leaf(arena + h->off)) {
		unhold(h);
		return true;
	}
	release(h);
	return false;
}
