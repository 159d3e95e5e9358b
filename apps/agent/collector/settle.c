// SPDX-License-Identifier: Apache-2.0
/*
 * Settle looks (README.md, "Settle looks"): the rule of the agent's FilePending, done where the records are read.
 * A write-open of a watched path makes it wait; it is looked at (stat) settle_ns later, and again after settle,
 * 2 settle and 4 settle (the last repeating) while its mtime is younger than settle_ns, until max_pending_ns from
 * its first write-open. Then an 'S' record (what 1) gives its stat and, for an executable or a script up to
 * HASH_MAX_BYTES, its SHA-1, SHA-256 and MD5. The path is then watched for fold_ns: when its mtime has not moved
 * for fold_ns, an 'S' record (what 2) reports the new content if it changed, else a 'Q' record ends the watch. A
 * delete or a rename of the path ends what waits without a record (the agent reports those itself). Each state holds
 * at most MAX_ENTRIES paths: beyond, the waiting path due first, or the oldest watched one, is looked at at once.
 *
 * Rows mode (--file-rows, README.md "File rows"): the agent's whole file path is done here. Write-opens, deletes and
 * renames are not passed on; each DeviceFileEvents row is a 'W' record (the row's file columns as JSON, the writer's
 * pid, start time and exec count, and its time), and an 'i' record names each writer when it is first seen, so that the
 * agent resolves it while it runs. The rules are those of the agent's FileSensor and FilePending (apps/agent/src).
 */
#define _GNU_SOURCE
#include "settle.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef VIGIL_HASH
#include <openssl/evp.h>
#endif

#define LEVELS 4
/* Rows mode: files up to this size are hashed here (the agent's MAX_HASH_BYTES); larger ones are not hashed. */
#define ROWS_HASH_MAX (64ULL * 1024 * 1024)
/* Rows mode: the hashes of reported paths kept for their delete or rename (the agent's lastHashes). */
#define KNOWN_MAX 10000
/* Rows mode: writers already named by an 'i' record (direct-mapped; the agent's InitiatorCache holds 4096). */
#define SEEN_SLOTS 1024
#define W_FIXED 48
#define I_SIZE 32
#define T_SIZE 64
/* The longest row fragment: two paths of PATH_MAX bytes, each byte escaped as \u00XX, and two file names. */
#define FRAG_MAX (64 * 1024 - W_FIXED)
#define WATCHED LEVELS
#define MAX_ENTRIES 20000
/* Files up to this size are read and hashed here; larger ones are left to the agent (it decides, and streams them). */
#define HASH_MAX_BYTES (1024 * 1024)

#define S_FIXED 124
#define Q_FIXED 28
#define F_STAT 1u
#define F_HASHABLE 2u
#define F_HASHES 4u
#define F_LARGE 8u

/* The process behind a file event, as the records name it (the agent's InitiatorCache key). */
struct who {
	uint32_t pid, exec_id;
	uint64_t start;
};

struct hashes {
	bool set;
	unsigned char sha1[20], sha256[32], md5[16];
	uint64_t size;
};

enum action { A_NONE, A_CREATED, A_MODIFIED, A_DELETED, A_RENAMED };
static const char *const ACTION_NAME[] = { "", "FileCreated", "FileModified", "FileDeleted", "FileRenamed" };

struct entry {
	struct entry *hnext;
	struct entry *prev, *next;
	int queue;
	uint64_t first_ns, due_ns;
	int64_t mt_sec;
	uint32_t mt_nsec;
	uint32_t hash;
	/* Rows mode: the row a waiting path is due to make (action, writer, time), the writer of a watched one. */
	enum action action;
	struct who who;
	uint64_t time_ms;
	/* Rows mode, the known table: the hashes reported for the path. */
	struct hashes h;
	uint16_t len;
	char path[];
};

struct queue {
	struct entry *head, *tail;
	size_t n;
};

static struct settle_cfg cfg;
static uint32_t own_pid;
static struct queue queues[LEVELS + 1];
struct table {
	struct entry **b;
	size_t n_b, n;
};

/* Waiting and watched paths. */
static struct table paths;
/* Rows mode: the hashes reported per path (oldest first in `known_order`). */
static struct table known;
static struct queue known_order;
static struct who seen[SEEN_SLOTS];
/* Rows mode: the agent's FileStats counters that the file path here keeps ('T' record, in this order). */
enum { C_EVENTS, C_MERGED, C_HASHED, C_OUTSIDE, C_UNRESOLVED, C_TRAILING, C_INTO_DELETE, C_FORCED, C_CHECKS, C_N };
static uint32_t counts[C_N], counts_put[C_N], counts_put_pending;
static unsigned char frag[FRAG_MAX];
static unsigned char file_buf[HASH_MAX_BYTES + 1];

#ifdef VIGIL_HASH
/* The digests, fetched once (an implicit fetch per call, as EVP_sha1() gives, costs a look-up each time). */
static EVP_MD *md_sha1, *md_sha256, *md_md5;
static EVP_MD_CTX *md_ctx[3];
#endif

uint32_t fnv1a(const void *data, size_t len)
{
	const unsigned char *s = data;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ s[i]) * 16777619u;
	return h;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (!p) {
		fprintf(stderr, "vigil-collector: out of memory\n");
		exit(1);
	}
	return p;
}

void settle_init(const struct settle_cfg *c)
{
	cfg = *c;
	own_pid = (uint32_t)getpid();
#ifdef VIGIL_HASH
	md_sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
	md_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	md_md5 = EVP_MD_fetch(NULL, "MD5", NULL);
	for (int i = 0; i < 3; i++) {
		md_ctx[i] = EVP_MD_CTX_new();
		if (!md_ctx[i]) {
			fprintf(stderr, "vigil-collector: out of memory\n");
			exit(1);
		}
	}
#endif
	paths.n_b = known.n_b = 1024;
	paths.b = xcalloc(paths.n_b, sizeof(*paths.b));
	known.b = xcalloc(known.n_b, sizeof(*known.b));
}

static struct entry *find(struct table *t, const char *path, size_t len, uint32_t h)
{
	for (struct entry *e = t->b[h & (t->n_b - 1)]; e; e = e->hnext)
		if (e->hash == h && e->len == len && !memcmp(e->path, path, len))
			return e;
	return NULL;
}

static void grow(struct table *t)
{
	size_t n = t->n_b * 2;
	struct entry **b = xcalloc(n, sizeof(*b));
	for (size_t i = 0; i < t->n_b; i++) {
		struct entry *e = t->b[i];
		while (e) {
			struct entry *next = e->hnext;
			e->hnext = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
			e = next;
		}
	}
	free(t->b);
	t->b = b;
	t->n_b = n;
}

/* The entry of a NUL-terminated path in t, or NULL. */
static struct entry *lookup(struct table *t, const char *path)
{
	size_t len = strlen(path);
	return find(t, path, len, fnv1a(path, len));
}

/* A new entry for path in t (not there yet). */
static struct entry *insert(struct table *t, const char *path, size_t len, uint32_t h)
{
	struct entry *e = xcalloc(1, sizeof(*e) + len + 1);
	memcpy(e->path, path, len);
	e->len = (uint16_t)len;
	e->hash = h;
	e->hnext = t->b[h & (t->n_b - 1)];
	t->b[h & (t->n_b - 1)] = e;
	if (++t->n > t->n_b)
		grow(t);
	return e;
}

static void append(struct queue *Q, struct entry *e)
{
	e->next = NULL;
	e->prev = Q->tail;
	if (Q->tail)
		Q->tail->next = e;
	else
		Q->head = e;
	Q->tail = e;
	Q->n++;
}

static void enqueue(struct entry *e, int q, uint64_t due)
{
	e->queue = q;
	e->due_ns = due;
	append(&queues[q], e);
}

static void unlink_from(struct queue *Q, struct entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		Q->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		Q->tail = e->prev;
	Q->n--;
}

static void dequeue(struct entry *e)
{
	unlink_from(&queues[e->queue], e);
}

/* Takes e out of t and frees it (it is in no queue). */
static void unhash_from(struct table *t, struct entry *e)
{
	struct entry **p = &t->b[e->hash & (t->n_b - 1)];
	while (*p != e)
		p = &(*p)->hnext;
	*p = e->hnext;
	t->n--;
	free(e);
}

static void unhash(struct entry *e)
{
	unhash_from(&paths, e);
}

static void drop(struct entry *e)
{
	dequeue(e);
	unhash(e);
}

/* ---- paths as the agent resolves them (posix.resolve against the cwd or the descriptor's folder) ---- */

/* Collapses "//", "." and ".." of an absolute path in place (posix.resolve: no trailing '/'). */
static void normalize(char *p)
{
	size_t n = strlen(p), out = 0, i = 0;

	while (i < n) {
		while (i < n && p[i] == '/')
			i++;
		size_t j = i;
		while (j < n && p[j] != '/')
			j++;
		size_t seg = j - i;
		if (seg == 0 || (seg == 1 && p[i] == '.')) {
			/* nothing */
		} else if (seg == 2 && p[i] == '.' && p[i + 1] == '.') {
			while (out > 0 && p[out - 1] != '/')
				out--;
			if (out > 0)
				out--;
		} else {
			p[out] = '/';
			memmove(p + out + 1, p + i, seg);
			out += 1 + seg;
		}
		i = j;
	}
	if (out == 0)
		p[out++] = '/';
	p[out] = 0;
}

/* The absolute, normal path of a record's path (relative ones against /proc/PID/cwd or /proc/PID/fd/DFD). */
static bool resolve(uint32_t pid, int32_t dfd, const unsigned char *path, size_t len, char *out)
{
	size_t base = 0;
	if (len == 0 || len >= PATH_MAX)
		return false;
	if (path[0] != '/') {
		char link[64];
		ssize_t n;
		if (dfd == -100)
			snprintf(link, sizeof(link), "/proc/%u/cwd", pid);
		else
			snprintf(link, sizeof(link), "/proc/%u/fd/%d", pid, dfd);
		n = readlink(link, out, PATH_MAX - 1);
		if (n <= 0 || out[0] != '/' || (size_t)n + 1 + len >= PATH_MAX)
			return false;
		base = (size_t)n;
		out[base++] = '/';
	}
	memcpy(out + base, path, len);
	out[base + len] = 0;
	if (memchr(out, 0, base + len))
		return false; /* a NUL inside: not a path the agent would match */
	normalize(out);
	return true;
}

static bool watched(const char *path)
{
	for (int i = 0; i < cfg.n_watch; i++)
		if (!strncmp(path, cfg.watch[i], strlen(cfg.watch[i])))
			return true;
	return false;
}

/* ---- records ---- */

static uint64_t real_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t mtime_ns(const struct stat *st)
{
	return (uint64_t)st->st_mtim.tv_sec * 1000000000ULL + (uint64_t)st->st_mtim.tv_nsec;
}

static bool same_mtime(const struct entry *e, const struct stat *st)
{
	return st->st_mtim.tv_sec == e->mt_sec && (uint32_t)st->st_mtim.tv_nsec == e->mt_nsec;
}

static bool script_ext(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot)
		return false;
	for (int i = 0; i < cfg.n_script_ext; i++)
		if (!strcasecmp(dot + 1, cfg.script_ext[i]))
			return true;
	return false;
}

static void header(unsigned char *r, uint32_t size, char kind, uint64_t now, uint32_t what)
{
	uint32_t pid = own_pid;
	memset(r, 0, 24);
	memcpy(r + 0, &size, 4);
	r[4] = (unsigned char)kind;
	memcpy(r + 8, &now, 8);
	memcpy(r + 16, &pid, 4);
	memcpy(r + 20, &what, 4);
}

/* ---- looks: a file's stat and, for an executable or a script, its hashes ---- */

#ifdef VIGIL_HASH
/* Hashes what file_buf holds (`got` bytes, the file's start) and the rest of fd, up to `limit` bytes in all. */
static bool digest_fd(int fd, size_t got, uint64_t limit, struct hashes *h)
{
	const EVP_MD *mds[3] = { md_sha1, md_sha256, md_md5 };
	unsigned char *outs[3] = { h->sha1, h->sha256, h->md5 };
	uint64_t total = got;
	bool more = got == sizeof(file_buf);

	for (int i = 0; i < 3; i++)
		if (!mds[i] || !EVP_DigestInit_ex(md_ctx[i], mds[i], NULL) || !EVP_DigestUpdate(md_ctx[i], file_buf, got))
			return false;
	while (more) {
		ssize_t n = read(fd, file_buf, sizeof(file_buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;
		if (n == 0)
			break;
		total += (uint64_t)n;
		if (total > limit)
			return false;
		for (int i = 0; i < 3; i++)
			if (!EVP_DigestUpdate(md_ctx[i], file_buf, (size_t)n))
				return false;
	}
	for (int i = 0; i < 3; i++)
		if (!EVP_DigestFinal_ex(md_ctx[i], outs[i], NULL))
			return false;
	h->size = total;
	h->set = true;
	return true;
}
#endif

/*
 * Looks at path: *st is its stat (`given` when set, else stat()'s) and, for a regular file that is an executable or
 * a script (mode +x, a script extension, #! or ELF), h its hashes when it was read whole within `limit` bytes (the
 * stat is then the opened file's). Returns the 'S' record's flags (0: the path is not there). With `limit` at
 * HASH_MAX_BYTES (looks for the agent), a larger file is F_LARGE and left to the agent; in rows mode nothing is.
 */
static uint32_t look_at(const char *path, const struct stat *given, uint64_t limit, struct stat *st, struct hashes *h)
{
	uint32_t flags = F_STAT;
	struct stat fst;
	size_t got = 0;
	ssize_t n;
	int fd;

	h->set = false;
	if (given)
		*st = *given;
	else if (stat(path, st) != 0)
		return 0;
	if (!S_ISREG(st->st_mode))
		return flags;
	if ((uint64_t)st->st_size > limit)
		return flags | F_LARGE;
	/* O_NOATIME: the look leaves the file's access time as it was (and writes no inode for it). */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 || fstat(fd, &fst) != 0 || !S_ISREG(fst.st_mode)) {
		if (fd >= 0)
			close(fd);
		if ((st->st_mode & 0111) || script_ext(path))
			flags |= F_HASHABLE; /* unreadable here: the agent tries */
		return flags;
	}
	*st = fst;
	while (got < sizeof(file_buf) &&
	       ((n = read(fd, file_buf + got, sizeof(file_buf) - got)) > 0 || (n < 0 && errno == EINTR)))
		if (n > 0)
			got += (size_t)n;
	if (got > HASH_MAX_BYTES && limit <= HASH_MAX_BYTES) {
		flags |= F_LARGE; /* it grew: the agent streams it */
	} else if ((st->st_mode & 0111) || script_ext(path) || (got >= 2 && file_buf[0] == '#' && file_buf[1] == '!') ||
		   (got >= 4 && !memcmp(file_buf, "\x7f" "ELF", 4))) {
		flags |= F_HASHABLE;
#ifdef VIGIL_HASH
		if (digest_fd(fd, got, limit, h)) {
			flags |= F_HASHES;
			st->st_size = (off_t)h->size;
		}
#endif
	}
	close(fd);
	return flags;
}

/*
 * An 'S' record for e: what 1 (its writes settled), 2 (writes folded after its row stopped, and changed it). The
 * stat given (NULL when the path is gone) is replaced by the opened file's when the file is read for its hashes:
 * *io is then what the record says.
 */
static void put_look(const struct entry *e, uint64_t now, uint32_t what, struct stat *io)
{
	unsigned char r[S_FIXED];
	uint32_t flags = 0, size = S_FIXED + e->len;
	uint16_t len = e->len;

	header(r, size, 'S', now, what);
	memset(r + 24, 0, S_FIXED - 24);
	if (io) {
		struct stat st;
		struct hashes h;
		flags = look_at(e->path, io, HASH_MAX_BYTES, &st, &h);
		uint64_t sz = (uint64_t)st.st_size;
		int64_t sec = (int64_t)st.st_mtim.tv_sec;
		uint32_t nsec = (uint32_t)st.st_mtim.tv_nsec;
		memcpy(r + 32, &sz, 8);
		memcpy(r + 40, &sec, 8);
		memcpy(r + 48, &nsec, 4);
		if (h.set) {
			memcpy(r + 56, h.sha1, 20);
			memcpy(r + 76, h.sha256, 32);
			memcpy(r + 108, h.md5, 16);
		}
		*io = st;
	}
	memcpy(r + 24, &flags, 4);
	memcpy(r + 28, &len, 2);
	cfg.put(r, S_FIXED);
	cfg.put(e->path, e->len);
}

/* A 'Q' record: the watch of e ended without a change to report. */
static void put_quiet(const struct entry *e, uint64_t now)
{
	unsigned char r[Q_FIXED];
	uint16_t len = e->len;
	header(r, Q_FIXED + e->len, 'Q', now, 0);
	memset(r + 24, 0, Q_FIXED - 24);
	memcpy(r + 24, &len, 2);
	cfg.put(r, Q_FIXED);
	cfg.put(e->path, e->len);
}

/* ---- rows mode: rows as JSON ---- */

static const char hex[] = "0123456789abcdef";

/* The hashes reported for a path (the agent's lastHashes), in `known`: kept, looked up, taken. */
static void known_forget(struct entry *k)
{
	unlink_from(&known_order, k);
	unhash_from(&known, k);
}

static void known_set(const char *path, const struct hashes *h)
{
	size_t len = strlen(path);
	uint32_t hp = fnv1a(path, len);
	struct entry *k = find(&known, path, len, hp);
	if (!k) {
		k = insert(&known, path, len, hp);
		append(&known_order, k);
		if (known.n > KNOWN_MAX)
			known_forget(known_order.head);
	}
	k->h = *h;
}

/*
 * The hashes of a row, as the agent's FileSensor.fileHashes finds them: a delete takes those reported for the path;
 * otherwise the file (at hash_path when set, else the path) is looked at (its stat given, else taken now) and hashed
 * when it is an executable or a script (then kept for the path, and a rename's previous path forgotten); a rename
 * whose file is not one takes those of its previous path. *st_out (when set) gets the stat looked at; returns false
 * when the file was not there.
 */
static bool row_hashes(enum action a, const char *path, const char *hash_path, const char *previous,
		       const struct stat *given, struct hashes *out, struct stat *st_out)
{
	struct stat st;
	uint32_t flags;

	out->set = false;
	if (a == A_DELETED) {
		struct entry *k = lookup(&known, path);
		if (k) {
			*out = k->h;
			known_forget(k);
		}
		return false;
	}
	flags = look_at(hash_path ? hash_path : path, given, ROWS_HASH_MAX, &st, out);
	if (st_out && flags)
		*st_out = st;
	if (flags & F_HASHES) {
		counts[C_HASHED]++;
		if (previous) {
			struct entry *k = lookup(&known, previous);
			if (k)
				known_forget(k);
		}
		known_set(path, out);
	} else if (!(flags & F_HASHABLE) || (flags & F_LARGE)) {
		struct entry *k = previous ? lookup(&known, previous) : NULL;
		if (k)
			*out = k->h;
	}
	return flags != 0;
}

/* Writes s (n bytes) as a JSON string, as the agent writes it: UTF-8 decoded as WHATWG's decoder does (each invalid
 * sequence one U+FFFD), then escaped as JSON.stringify escapes (", \, control characters). Returns the bytes written. */
size_t json_str(unsigned char *o, const unsigned char *s, size_t n)
{
	size_t k = 0, i = 0;

	o[k++] = '"';
	while (i < n) {
		unsigned c = s[i];
		if (c < 0x80) {
			if (c == '"' || c == '\\') {
				o[k++] = '\\';
				o[k++] = (unsigned char)c;
			} else if (c >= 0x20) {
				o[k++] = (unsigned char)c;
			} else {
				o[k++] = '\\';
				switch (c) {
				case '\b': o[k++] = 'b'; break;
				case '\t': o[k++] = 't'; break;
				case '\n': o[k++] = 'n'; break;
				case '\f': o[k++] = 'f'; break;
				case '\r': o[k++] = 'r'; break;
				default:
					o[k++] = 'u';
					o[k++] = '0';
					o[k++] = '0';
					o[k++] = (unsigned char)hex[c >> 4];
					o[k++] = (unsigned char)hex[c & 15];
				}
			}
			i++;
			continue;
		}
		size_t need = 0, j;
		unsigned lower = 0x80, upper = 0xbf;
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			if (c == 0xe0)
				lower = 0xa0;
			if (c == 0xed)
				upper = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			if (c == 0xf0)
				lower = 0x90;
			if (c == 0xf4)
				upper = 0x8f;
		}
		for (j = 1; j <= need && i + j < n; j++) {
			unsigned b = s[i + j];
			if (b < (j == 1 ? lower : 0x80) || b > (j == 1 ? upper : 0xbf))
				break;
		}
		if (need > 0 && j > need) {
			memcpy(o + k, s + i, need + 1);
			k += need + 1;
			i += need + 1;
		} else {
			/* U+FFFD for the lead byte and the valid continuations read; an offending byte is read again. */
			o[k++] = 0xef;
			o[k++] = 0xbf;
			o[k++] = 0xbd;
			i += need > 0 ? j : 1;
		}
	}
	o[k++] = '"';
	return k;
}

/* `,"key":` (no comma for the first key) then a string. */
static size_t json_field(unsigned char *o, bool first, const char *key, const char *s, size_t n)
{
	size_t k = 0;
	if (!first)
		o[k++] = ',';
	k += (size_t)sprintf((char *)o + k, "\"%s\":", key);
	return k + json_str(o + k, (const unsigned char *)s, n);
}

size_t json_hex(unsigned char *o, const char *key, const unsigned char *b, size_t n)
{
	size_t k = (size_t)sprintf((char *)o, ",\"%s\":\"", key);
	for (size_t i = 0; i < n; i++) {
		o[k++] = (unsigned char)hex[b[i] >> 4];
		o[k++] = (unsigned char)hex[b[i] & 15];
	}
	o[k++] = '"';
	return k;
}

/* An 'i' record for a writer not named lately: the agent looks it up now, while it runs. */
static void put_seen(const struct who *w)
{
	struct who *slot = &seen[(w->pid * 2654435761u ^ w->exec_id ^ (uint32_t)(w->start >> 10)) % SEEN_SLOTS];
	unsigned char r[I_SIZE];

	if (slot->pid == w->pid && slot->exec_id == w->exec_id && slot->start == w->start && w->pid)
		return;
	*slot = *w;
	header(r, I_SIZE, 'i', mono_now(), w->exec_id);
	memcpy(r + 16, &w->pid, 4);
	memcpy(r + 24, &w->start, 8);
	cfg.put(r, I_SIZE);
}

/*
 * A 'W' record: a DeviceFileEvents row's file columns (those of the agent's fileEventRow, in its order) as JSON
 * without braces, for the agent to complete with the writer's columns, its Timestamp and ReportId.
 */
static void put_row(enum action a, const char *path, const char *previous, const struct who *w, uint64_t time_ms,
		    const struct hashes *h)
{
	unsigned char r[W_FIXED];
	size_t k = 0, len = strlen(path);
	const char *name = strrchr(path, '/');
	uint32_t size, fl;

	/* Each byte of a string takes at most 6 in JSON (\u00XX). Resolved paths are shorter than PATH_MAX and names at
	 * most NAME_MAX, so this holds; it is checked all the same, as a longer record would put the stream out of step. */
	{
		const char *pname = previous ? strrchr(previous, '/') : NULL;
		size_t worst = 6 * (len + strlen(name ? name : path)) + 512;
		if (previous)
			worst += 6 * (strlen(previous) + strlen(pname ? pname : previous));
		if (worst > sizeof(frag)) {
			fprintf(stderr, "vigil-collector: the file row of a %zu-byte path is too long to write\n", len);
			return;
		}
	}
	k += (size_t)sprintf((char *)frag, "\"ActionType\":\"%s\"", ACTION_NAME[a]);
	name = name ? name + 1 : path;
	k += json_field(frag + k, false, "FileName", name, strlen(name));
	k += json_field(frag + k, false, "FolderPath", path, len);
	if (h && h->set) {
		k += json_hex(frag + k, "SHA1", h->sha1, 20);
		k += json_hex(frag + k, "SHA256", h->sha256, 32);
		k += json_hex(frag + k, "MD5", h->md5, 16);
		k += (size_t)sprintf((char *)frag + k, ",\"FileSize\":%llu", (unsigned long long)h->size);
	}
	if (previous) {
		const char *pname = strrchr(previous, '/');
		pname = pname ? pname + 1 : previous;
		k += json_field(frag + k, false, "PreviousFolderPath", previous, strlen(previous));
		k += json_field(frag + k, false, "PreviousFileName", pname, strlen(pname));
	}
	k += (size_t)sprintf((char *)frag + k, ",\"RequestProtocol\":\"Local\"");
	size = (uint32_t)(W_FIXED + k);
	fl = (uint32_t)k;
	header(r, size, 'W', mono_now(), w->exec_id);
	memcpy(r + 16, &w->pid, 4);
	memcpy(r + 24, &w->start, 8);
	memcpy(r + 32, &time_ms, 8);
	memcpy(r + 40, &fl, 4);
	memset(r + 44, 0, 4);
	cfg.put(r, W_FIXED);
	cfg.put(frag, k);
}

/* The row of a waiting path now, its file at hash_path when set (it was renamed there). */
static void put_waiting_row(const struct entry *e, const char *hash_path, const struct stat *given, struct stat *st_out,
			    bool *there)
{
	struct hashes h;
	bool ok = row_hashes(e->action, e->path, hash_path, NULL, given, &h, st_out);
	if (there)
		*there = ok;
	put_row(e->action, e->path, NULL, &e->who, e->time_ms, &h);
}

/* The FileModified row of writes folded into a watched path (its content changed since its row), timed at its mtime. */
static void put_trailing_row(const struct entry *e, const char *hash_path, const struct stat *st)
{
	struct hashes h;
	uint64_t t = (uint64_t)st->st_mtim.tv_sec * 1000ULL + (uint64_t)st->st_mtim.tv_nsec / 1000000ULL;
	counts[C_TRAILING]++;
	row_hashes(A_MODIFIED, e->path, hash_path, NULL, st, &h, NULL);
	put_row(A_MODIFIED, e->path, NULL, &e->who, t, &h);
}

/* ---- the two states ---- */

static void end_watch(struct entry *e, uint64_t now, struct stat *st)
{
	if (cfg.rows) {
		if (st && !same_mtime(e, st))
			put_trailing_row(e, NULL, st);
	} else if (st && !same_mtime(e, st)) {
		put_look(e, now, 2, st);
	} else {
		put_quiet(e, now);
	}
	drop(e);
}

/* Reports a waiting path (its writes settled, or waited long enough) and starts watching it. */
static void report(struct entry *e, uint64_t now, struct stat *st)
{
	struct stat seen_st;
	bool there = st != NULL;

	dequeue(e);
	if (cfg.rows) {
		put_waiting_row(e, NULL, st, &seen_st, &there);
		st = there ? &seen_st : NULL;
	} else {
		put_look(e, now, 1, st);
	}
	if (!st) {
		unhash(e);
		return;
	}
	if (queues[WATCHED].n >= MAX_ENTRIES) {
		struct entry *old = queues[WATCHED].head;
		struct stat ost;
		end_watch(old, now, stat(old->path, &ost) == 0 ? &ost : NULL);
	}
	e->mt_sec = (int64_t)st->st_mtim.tv_sec;
	e->mt_nsec = (uint32_t)st->st_mtim.tv_nsec;
	enqueue(e, WATCHED, now + cfg.fold_ns);
}

static size_t waiting(void)
{
	size_t n = 0;
	for (int q = 0; q < LEVELS; q++)
		n += queues[q].n;
	return n;
}

/*
 * A write-open of a watched path: it waits (again) for settle_ns. Rows mode: the row it is due to make is the first
 * write-open's, unless a later one created the file (FileCreated wins).
 */
static void touch(const char *path, size_t len, uint64_t now, enum action a, const struct who *w, uint64_t time_ms)
{
	uint32_t h = fnv1a(path, len);
	struct entry *e = find(&paths, path, len, h);
	if (e) {
		bool fresh = e->queue == WATCHED;
		dequeue(e);
		if (fresh)
			e->first_ns = now; /* its watch ends: a new wait */
		else
			counts[C_MERGED]++;
		if (fresh || (a == A_CREATED && e->action == A_MODIFIED)) {
			e->action = a;
			e->who = *w;
			e->time_ms = time_ms;
		}
		enqueue(e, 0, now + cfg.settle_ns);
		return;
	}
	if (waiting() >= MAX_ENTRIES) {
		/* The waiting path due first. */
		struct entry *old = NULL;
		for (int q = 0; q < LEVELS; q++)
			if (queues[q].head && (!old || queues[q].head->due_ns < old->due_ns))
				old = queues[q].head;
		struct stat st;
		counts[C_FORCED]++;
		report(old, now, stat(old->path, &st) == 0 ? &st : NULL);
	}
	e = insert(&paths, path, len, h);
	e->first_ns = now;
	e->action = a;
	e->who = *w;
	e->time_ms = time_ms;
	enqueue(e, 0, now + cfg.settle_ns);
}

static void forget(const char *path)
{
	struct entry *e = lookup(&paths, path);
	if (e)
		drop(e);
}

/* Rows mode: a delete. What waits for the path is reported now (a watch just ends), then its FileDeleted row. */
static void rows_delete(const char *path, const struct who *w, uint64_t time_ms)
{
	struct entry *e = lookup(&paths, path);
	struct hashes h;
	if (e) {
		if (e->queue != WATCHED)
			put_waiting_row(e, NULL, NULL, NULL, NULL);
		else
			counts[C_INTO_DELETE]++;
		drop(e);
	}
	row_hashes(A_DELETED, path, NULL, NULL, NULL, &h, NULL);
	put_row(A_DELETED, path, NULL, w, time_ms, &h);
}

/*
 * Rows mode: a rename. What waits for the old path is reported now, hashed at the new one (writes folded into a
 * watched path, from the new path's stat `to_st` taken on arrival), then the FileRenamed row.
 */
static void rows_rename(const char *from, const char *to, const struct stat *to_st, const struct who *w,
			uint64_t time_ms)
{
	struct entry *e = lookup(&paths, from);
	struct hashes h;
	if (e) {
		if (e->queue != WATCHED)
			put_waiting_row(e, to, NULL, NULL, NULL);
		else if (to_st && !same_mtime(e, to_st))
			put_trailing_row(e, to, to_st);
		drop(e);
	}
	row_hashes(A_RENAMED, to, NULL, from, NULL, &h, NULL);
	put_row(A_RENAMED, to, from, w, time_ms, &h);
}

/* The path of a file record (its dfd at dfd_off, its length at len_off, its bytes at path_off), resolved. */
static bool record_path(const unsigned char *r, size_t size, size_t dfd_off, size_t len_off, size_t path_off,
			char *path)
{
	uint32_t pid;
	int32_t dfd;
	uint16_t len;

	if (size < path_off)
		return false;
	memcpy(&pid, r + 16, 4);
	memcpy(&dfd, r + dfd_off, 4);
	memcpy(&len, r + len_off, 2);
	return path_off + len <= size && resolve(pid, dfd, r + path_off, len, path);
}

static void rows_record(const unsigned char *r, size_t size)
{
	static char path[PATH_MAX], to[PATH_MAX];
	struct who w;
	uint64_t time_ms = real_ns() / 1000000ULL;
	uint16_t old_len;

	if (size < 40)
		return;
	memcpy(&w.pid, r + 16, 4);
	memcpy(&w.exec_id, r + 20, 4);
	memcpy(&w.start, r + 24, 8);
	switch (r[4]) {
	case 'o':
		if (size < 52 || !record_path(r, size, 32, 50, 52, path)) {
			counts[C_UNRESOLVED]++;
		} else if (!watched(path)) {
			counts[C_OUTSIDE]++;
		} else {
			counts[C_EVENTS]++;
			put_seen(&w);
			touch(path, strlen(path), mono_now(), r[48] ? A_CREATED : A_MODIFIED, &w, time_ms);
		}
		return;
	case 'd':
		if (!record_path(r, size, 32, 36, 40, path)) {
			counts[C_UNRESOLVED]++;
		} else if (!watched(path)) {
			counts[C_OUTSIDE]++;
		} else {
			counts[C_EVENTS]++;
			put_seen(&w);
			rows_delete(path, &w, time_ms);
		}
		return;
	case 'r': {
		struct stat st;
		if (size < 44)
			return;
		memcpy(&old_len, r + 40, 2);
		if (!record_path(r, size, 32, 40, 44, path) || !record_path(r, size, 36, 42, 44 + (size_t)old_len, to)) {
			counts[C_UNRESOLVED]++;
		} else if (!watched(path) && !watched(to)) {
			counts[C_OUTSIDE]++;
		} else {
			counts[C_EVENTS]++;
			put_seen(&w);
			rows_rename(path, to, stat(to, &st) == 0 ? &st : NULL, &w, time_ms);
		}
		return;
	}
	}
}

void settle_record(const unsigned char *r, size_t size)
{
	static char path[PATH_MAX];
	static const struct who nobody;

	if (size < 24)
		return;
	if (cfg.rows) {
		rows_record(r, size);
		return;
	}
	switch (r[4]) {
	case 'o':
		if (record_path(r, size, 32, 50, 52, path) && watched(path))
			touch(path, strlen(path), mono_now(), A_NONE, &nobody, 0);
		return;
	case 'd':
		if (record_path(r, size, 32, 36, 40, path))
			forget(path);
		return;
	case 'r':
		if (record_path(r, size, 32, 40, 44, path))
			forget(path);
		return;
	}
}

void settle_run(uint64_t now)
{
	uint64_t real = real_ns();
	struct stat st;

	for (int q = 0; q < LEVELS; q++) {
		struct entry *e;
		while ((e = queues[q].head) && e->due_ns <= now) {
			bool ok = stat(e->path, &st) == 0;
			counts[C_CHECKS]++;
			if (ok && mtime_ns(&st) > real - cfg.settle_ns && now - e->first_ns < cfg.max_pending_ns) {
				int next = q + 1 < LEVELS ? q + 1 : LEVELS - 1;
				dequeue(e);
				enqueue(e, next, now + (cfg.settle_ns << (next - 1)));
			} else {
				report(e, now, ok ? &st : NULL);
			}
		}
	}
	{
		struct entry *e;
		while ((e = queues[WATCHED].head) && e->due_ns <= now) {
			bool ok = stat(e->path, &st) == 0;
			uint64_t mt = ok ? mtime_ns(&st) : 0;
			if (ok && mt > real - cfg.fold_ns) {
				/* Still being written: looked at again fold_ns after its last change. */
				uint64_t wait = mt + cfg.fold_ns - real;
				dequeue(e);
				enqueue(e, WATCHED, now + (wait > 1000000 ? wait : 1000000));
			} else {
				end_watch(e, now, ok ? &st : NULL);
			}
		}
	}
}

void settle_flush(void)
{
	uint64_t now = mono_now();
	struct stat st;
	struct entry *e;

	for (int q = 0; q < LEVELS; q++)
		while ((e = queues[q].head))
			report(e, now, stat(e->path, &st) == 0 ? &st : NULL);
	while ((e = queues[WATCHED].head))
		end_watch(e, now, stat(e->path, &st) == 0 ? &st : NULL);
}

void settle_counters(void)
{
	unsigned char r[T_SIZE];
	uint32_t pending = (uint32_t)paths.n;

	if (!cfg.rows || (!memcmp(counts, counts_put, sizeof(counts)) && pending == counts_put_pending))
		return;
	memcpy(counts_put, counts, sizeof(counts));
	counts_put_pending = pending;
	header(r, T_SIZE, 'T', mono_now(), 0);
	memcpy(r + 24, counts, sizeof(counts));
	memcpy(r + 24 + sizeof(counts), &pending, 4);
	cfg.put(r, T_SIZE);
}

int settle_next_ms(uint64_t now)
{
	uint64_t due = UINT64_MAX;
	for (int q = 0; q <= LEVELS; q++)
		if (queues[q].head && queues[q].head->due_ns < due)
			due = queues[q].head->due_ns;
	if (due == UINT64_MAX)
		return -1;
	if (due <= now)
		return 0;
	return (int)((due - now + 999999) / 1000000);
}
