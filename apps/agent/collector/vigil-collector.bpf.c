// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * vigil-collector: the BPF side. Process, file and network events of the Vigil agent as compact binary records
 * (see README.md for the format), replacing the bpftrace programs of packages/sensors (bpftraceProcessProgram,
 * bpftraceFileProgram, bpftraceNetworkProgram) with the same semantics. Programs are named proc_*, file_* and
 * net_*: the loader turns a sensor off by not loading its programs.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define CLONE_THREAD 0x10000
#define FMODE_CREATED 0x100000
/* O_WRONLY | O_RDWR | O_CREAT | O_TRUNC */
#define WRITE_FLAGS 0x243
#define CREAT_FLAGS 0x241
#define AT_REMOVEDIR 0x200
#define AT_FDCWD (-100)
#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define TCP_ESTABLISHED_ 1
#define TCP_SYN_SENT_ 2
#define TCP_LISTEN_ 10

#define MAX_EXCL 16
#define MAX_WATCH 16
#define MAX_WORDS 8 /* 64 bytes of a prefix */

#define FILENAME_MAX_ 512
#define NAME_MAX_ 255
#define ARGV_MAX 4096
#define PATH_MAX_ 1024
#define SCRATCH_SIZE 8192
#define NSEC_PER_SEC 1000000000ULL

/* ---- configuration (rodata, set by the loader before load) ---- */
const volatile __u32 n_excl = 0;
const volatile __u32 excl_pids[MAX_EXCL] = {};
const volatile __u64 fold_ns = 5000000000ULL;
const volatile __u32 n_watch = 0;
/* Words read from a path: at least 1, at most MAX_WORDS (the longest prefix's). */
const volatile __u32 n_words = 1;
const volatile __u32 watch_nwords[MAX_WATCH] = {};
const volatile __u64 watch_val[MAX_WATCH][MAX_WORDS] = {};
const volatile __u64 watch_mask[MAX_WATCH][MAX_WORDS] = {};
/* Bytes waiting in the ring buffer from which a record wakes the loader (the loader sets a sixteenth of the ring). */
const volatile __u64 wake_bytes = 262144;

/* ---- state shared with the loader (bss) ---- */
/* Records that did not fit in the ring buffer. */
__u64 dropped = 0;
/* Fold entries last written before this (CLOCK_MONOTONIC ns) count as absent: the loader's minute clear. */
volatile __u64 fold_clear_ns = 0;
/* Set by the loader while it sleeps with nothing to read: the first record into the empty ring wakes it then. */
volatile __u32 consumer_idle = 0;

/* ---- records ---- */
struct hdr {
	__u32 size;
	__u8 kind;
	__u8 zero[3];
	__u64 ns;
	__u32 pid;
	__u32 aux;
};

struct fork_rec {
	struct hdr h; /* aux: child pid */
	__u64 child_start;
};

struct exec_rec {
	struct hdr h; /* aux: real parent tgid */
	__u32 uid;
	__u32 args_len;
	__u64 start;
	__u16 filename_len;
	__u16 name_len;
	__u16 argv_len;
	__u16 zero;
	/* The image (mm->exe_file's inode), as stat(2) would give it: the agent's hash cache key without a stat. */
	__u64 ino;
	__u64 size;
	__s64 mtime_sec;
	__u32 mtime_nsec;
	__u32 dev; /* st_dev encoding (new_encode_dev) */
	/* ctime: set by the kernel on every change, content or metadata (userspace cannot set it back as it can mtime) */
	__s64 ctime_sec;
	__u32 ctime_nsec;
	__u32 zero2;
	/* filename, name, argv */
};

/* The fields every file record starts with: the header (aux: self_exec_id), start_boottime and a dfd. */
#define FILE_FIELDS  \
	struct hdr h; \
	__u64 start;  \
	__s32 dfd

struct open_rec {
	FILE_FIELDS;
	__u32 flags;
	__u64 ino;
	__u8 created;
	__u8 zero;
	__u16 path_len;
	/* path */
};

struct unlink_rec {
	FILE_FIELDS;
	__u16 path_len;
	__u16 zero;
	/* path */
};

struct rename_rec {
	FILE_FIELDS; /* dfd: old dfd */
	__s32 new_dfd;
	__u16 old_len;
	__u16 new_len;
	/* old path, new path */
};

struct net_rec {
	__u32 size;
	__u8 kind;
	__u8 zero[3];
	__u64 ns;
	__u32 pid;
	__u8 family;
	__u8 protocol;
	__u8 newstate;
	__u8 zero2;
	__u16 lport;
	__u16 rport;
	__u32 zero3;
	__u8 laddr[16];
	__u8 raddr[16];
};

_Static_assert(sizeof(struct hdr) == 24, "hdr");
_Static_assert(sizeof(struct fork_rec) == 32, "fork");
#define AT(type, field, off) _Static_assert(__builtin_offsetof(struct type, field) == (off), #type "." #field)
AT(exec_rec, uid, 24);
AT(exec_rec, args_len, 28);
AT(exec_rec, start, 32);
AT(exec_rec, filename_len, 40);
AT(exec_rec, argv_len, 44);
AT(exec_rec, ino, 48);
AT(exec_rec, size, 56);
AT(exec_rec, mtime_sec, 64);
AT(exec_rec, mtime_nsec, 72);
AT(exec_rec, dev, 76);
AT(exec_rec, ctime_sec, 80);
AT(exec_rec, ctime_nsec, 88);
_Static_assert(sizeof(struct exec_rec) == 96, "exec");
AT(open_rec, start, 24);
AT(open_rec, dfd, 32);
AT(open_rec, flags, 36);
AT(open_rec, ino, 40);
AT(open_rec, created, 48);
AT(open_rec, path_len, 50);
AT(unlink_rec, path_len, 36);
AT(rename_rec, new_dfd, 36);
AT(rename_rec, old_len, 40);
AT(rename_rec, new_len, 42);
AT(net_rec, family, 20);
AT(net_rec, lport, 24);
AT(net_rec, rport, 26);
AT(net_rec, laddr, 32);
AT(net_rec, raddr, 48);
_Static_assert(sizeof(struct net_rec) == 64, "net");

/* Where the strings of a record start (the structs above are padded to 8 bytes at their end). */
#define OPEN_FIXED 52
#define UNLINK_FIXED 40
#define RENAME_FIXED 44
#define EXEC_FIXED 96

/* ---- maps ---- */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096 * 1024);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[SCRATCH_SIZE]);
} scratch SEC(".maps");

struct open_args {
	const char *path;
	__s32 dfd;
	__u32 flags;
};

struct unlink_args {
	const char *path;
	__s32 dfd;
	__u32 pad;
};

struct rename_args {
	const char *old_path;
	const char *new_path;
	__s32 old_dfd;
	__s32 new_dfd;
};

/* Calls in flight, by thread id (LRU: a thread killed inside a call never reaches its exit). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct open_args);
} open_tmp SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct unlink_args);
} unlink_tmp SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct rename_args);
} rename_tmp SEC(".maps");

struct fold_key {
	__u64 dev;
	__u64 ino;
	__u64 pid_exec; /* tgid << 32 | self_exec_id */
};

/* Last write-open of (file, process image): folds a burst of rewrites into one record. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct fold_key);
	__type(value, __u64);
} fold SEC(".maps");

/*
 * Processes whose write-opens were folded lately: tgid -> time of a folded write-open (written once a second at
 * most). A rename by one of them is urgent: its writes since the file's last record were not seen, and the agent
 * reports them from a look at the renamed file, which must come before the file can be gone (deleted just after).
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u64);
} folding SEC(".maps");

/* Connecting pid by socket address, between SYN_SENT and the outcome. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u32);
} conn_pid SEC(".maps");

/* accept in flight (value unused) and connect in flight (value: fd). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u32);
} accept_tmp SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __s32);
} connect_tmp SEC(".maps");

/* ---- helpers ---- */
static __always_inline void count_drop(void)
{
	__sync_fetch_and_add(&dropped, 1);
}

/*
 * Records are submitted without waking the loader (it drains the ring every --poll-ms), unless wake_bytes or more
 * wait in the ring: then a burst is drained at once instead of filling the ring until the next round. A loader that
 * found nothing for a while sleeps (consumer_idle): the first record into the empty ring wakes it.
 */
static __always_inline __u64 rb_flags(void)
{
	__u64 avail = bpf_ringbuf_query(&rb, BPF_RB_AVAIL_DATA);
	return avail >= wake_bytes || (avail == 0 && consumer_idle) ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

/*
 * Sends a record. An urgent one wakes the loader at once: the agent completes it from /proc (the cwd or descriptor
 * of a relative path, the command line of cut arguments, the image of a relative exec file name), which must be
 * read while the process lives, before the next --poll-ms round.
 */
static __always_inline void emit_record(void *data, __u64 size, bool urgent)
{
	if (bpf_ringbuf_output(&rb, data, size, urgent ? BPF_RB_FORCE_WAKEUP : rb_flags()))
		count_drop();
}

static __always_inline void fill_hdr(struct hdr *h, __u32 size, char kind, __u64 ns, __u32 pid, __u32 aux)
{
	h->size = size;
	h->kind = kind;
	h->zero[0] = 0;
	h->zero[1] = 0;
	h->zero[2] = 0;
	h->ns = ns;
	h->pid = pid;
	h->aux = aux;
}

static __always_inline bool excluded(__u32 tgid)
{
	for (__u32 i = 0; i < MAX_EXCL; i++) {
		if (i >= n_excl)
			break;
		if (excl_pids[i] == tgid)
			return true;
	}
	return false;
}

/* Length of a string read by bpf_probe_read_*_str (the count includes the NUL), bounded for the verifier. */
static __always_inline __u32 str_len(long n, __u32 max)
{
	__u32 len = n > 0 ? (__u32)n - 1 : 0;
	if (len > max)
		len = max;
	return len;
}

/*
 * pathTest of file-events.ts: true for a relative path (first byte not '/'), a path that could not be read (its
 * words read as 0), a path that starts with a watched prefix (compared on its first 64 bytes), or a path whose
 * first k words (k >= 1) equal the prefix's and whose word k (8 bytes) is all zero. Each 8-byte word of the user
 * string is read on its own, as bpftrace's *uptr() does: a word that cannot be read is 0.
 */
static __always_inline bool path_ok(const char *up)
{
	__u64 w[MAX_WORDS] = {};

	for (__u32 k = 0; k < MAX_WORDS; k++) {
		if (k >= n_words)
			break;
		if (bpf_probe_read_user(&w[k], sizeof(w[k]), up + 8 * k))
			w[k] = 0;
	}
	if ((w[0] & 0xff) != '/')
		return true;
	for (__u32 i = 0; i < MAX_WATCH; i++) {
		if (i >= n_watch)
			break;
		__u32 nw = watch_nwords[i];
		bool all = true;
		for (__u32 k = 0; k < MAX_WORDS; k++) {
			if (k >= nw)
				break;
			if ((w[k] & watch_mask[i][k]) != watch_val[i][k]) {
				/* Words 0..k-1 matched: the path may be the prefix's first k words then zeros. */
				if (k >= 1 && w[k] == 0)
					return true;
				all = false;
				break;
			}
		}
		if (all)
			return true;
	}
	return false;
}

static __always_inline struct file *fd_file(struct task_struct *task, long fd)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds;
	struct file *f = NULL;

	if (!fdt || fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]))
		return NULL;
	return f;
}

static __always_inline char *scratch_buf(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&scratch, &zero);
}

/* Fills the common fields of a file record r (the size is set last). */
#define FILE_FILL(r, kind, ns, tgid, dfd_)                                                              \
	do {                                                                                            \
		struct task_struct *task_ = (struct task_struct *)bpf_get_current_task();               \
		fill_hdr(&(r)->h, 0, kind, ns, tgid, (__u32)BPF_CORE_READ(task_, self_exec_id));        \
		(r)->start = BPF_CORE_READ(task_, start_boottime);                                      \
		(r)->dfd = dfd_;                                                                        \
	} while (0)

/* ======================= process ======================= */

SEC("tp_btf/task_newtask")
int BPF_PROG(proc_fork, struct task_struct *task, u64 clone_flags)
{
	struct fork_rec *r;

	if (clone_flags & CLONE_THREAD)
		return 0;
	r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	if (!r) {
		count_drop();
		return 0;
	}
	fill_hdr(&r->h, sizeof(*r), 'F', bpf_ktime_get_ns(), bpf_get_current_pid_tgid() >> 32,
		 BPF_CORE_READ(task, tgid));
	r->child_start = BPF_CORE_READ(task, start_boottime);
	bpf_ringbuf_submit(r, rb_flags());
	return 0;
}

/* The inode's mtime field across kernels: i_mtime_sec/_nsec since 6.11, __i_mtime in 6.6-6.10, i_mtime before. */
struct inode___v611 {
	time64_t i_mtime_sec;
	__u32 i_mtime_nsec;
	time64_t i_ctime_sec;
	__u32 i_ctime_nsec;
} __attribute__((preserve_access_index));
struct inode___v66 {
	struct timespec64 __i_mtime;
} __attribute__((preserve_access_index));
struct inode___v5 {
	struct timespec64 i_mtime;
} __attribute__((preserve_access_index));
/* ctime moved one kernel before mtime: __i_ctime in 6.6, __i_mtime in 6.7. */
struct inode___c66 {
	struct timespec64 __i_ctime;
} __attribute__((preserve_access_index));
struct inode___c5 {
	struct timespec64 i_ctime;
} __attribute__((preserve_access_index));

/* Multigrain timestamps (6.13) keep a flag in the top bit of i_ctime_nsec (I_CTIME_QUERIED); nanoseconds are below 2^30. */
#define CTIME_NSEC_MASK 0x3fffffffU

/* Reads a struct timespec64 field of `inode` as the kernel variant `type` lays it out. */
#define READ_TIMESPEC(type, field, sec, nsec)                    \
	do {                                                     \
		struct type *i_ = (void *)inode;                 \
		(sec) = BPF_CORE_READ(i_, field.tv_sec);         \
		(nsec) = (__u32)BPF_CORE_READ(i_, field.tv_nsec); \
	} while (0)

/* Identity of the image file: inode, size, mtime, ctime and device (0s when it cannot be read). */
static __always_inline void image_identity(struct exec_rec *r, struct task_struct *task)
{
	struct inode *inode = BPF_CORE_READ(task, mm, exe_file, f_inode);
	__u32 kdev, major, minor;

	r->ino = 0;
	r->size = 0;
	r->mtime_sec = 0;
	r->mtime_nsec = 0;
	r->dev = 0;
	r->ctime_sec = 0;
	r->ctime_nsec = 0;
	r->zero2 = 0;
	if (!inode)
		return;
	r->ino = BPF_CORE_READ(inode, i_ino);
	r->size = (__u64)BPF_CORE_READ(inode, i_size);
	if (bpf_core_field_exists(struct inode___v611, i_mtime_sec)) {
		struct inode___v611 *i = (void *)inode;
		r->mtime_sec = BPF_CORE_READ(i, i_mtime_sec);
		r->mtime_nsec = BPF_CORE_READ(i, i_mtime_nsec);
		r->ctime_sec = BPF_CORE_READ(i, i_ctime_sec);
		r->ctime_nsec = BPF_CORE_READ(i, i_ctime_nsec) & CTIME_NSEC_MASK;
	} else {
		if (bpf_core_field_exists(struct inode___v66, __i_mtime))
			READ_TIMESPEC(inode___v66, __i_mtime, r->mtime_sec, r->mtime_nsec);
		else
			READ_TIMESPEC(inode___v5, i_mtime, r->mtime_sec, r->mtime_nsec);
		if (bpf_core_field_exists(struct inode___c66, __i_ctime))
			READ_TIMESPEC(inode___c66, __i_ctime, r->ctime_sec, r->ctime_nsec);
		else
			READ_TIMESPEC(inode___c5, i_ctime, r->ctime_sec, r->ctime_nsec);
	}
	kdev = BPF_CORE_READ(inode, i_sb, s_dev);
	major = kdev >> 20;
	minor = kdev & 0xfffff;
	r->dev = (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
}

SEC("tracepoint/sched/sched_process_exec")
int proc_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	char *buf = scratch_buf();
	struct exec_rec *r;
	__u64 arg_start, arg_end, args_len;
	__u32 flen, nlen, alen, off, copy;
	const unsigned char *name;
	long n;

	if (!buf)
		return 0;
	r = (struct exec_rec *)buf;
	fill_hdr(&r->h, 0, 'E', bpf_ktime_get_ns(), bpf_get_current_pid_tgid() >> 32,
		 BPF_CORE_READ(task, real_parent, tgid));
	r->uid = (__u32)bpf_get_current_uid_gid();
	arg_start = BPF_CORE_READ(task, mm, arg_start);
	arg_end = BPF_CORE_READ(task, mm, arg_end);
	args_len = arg_end > arg_start ? arg_end - arg_start : 0;
	r->args_len = args_len > 0xffffffffULL ? 0xffffffffU : (__u32)args_len;
	r->start = BPF_CORE_READ(task, start_boottime);
	r->zero = 0;
	image_identity(r, task);

	n = bpf_probe_read_kernel_str(buf + EXEC_FIXED, FILENAME_MAX_ + 1,
				      (void *)ctx + (ctx->__data_loc_filename & 0xffff));
	flen = str_len(n, FILENAME_MAX_);

	off = EXEC_FIXED + flen;
	off &= 1023; /* <= 592: a bound the verifier sees */
	name = BPF_CORE_READ(task, mm, exe_file, f_path.dentry, d_name.name);
	n = name ? bpf_probe_read_kernel_str(buf + off, NAME_MAX_ + 1, name) : 0;
	nlen = str_len(n, NAME_MAX_);

	off = EXEC_FIXED + flen + nlen;
	off &= 2047; /* <= 847 */
	copy = args_len > ARGV_MAX ? ARGV_MAX : (__u32)args_len;
	alen = 0;
	if (copy > 0 && copy <= ARGV_MAX) {
		if (bpf_probe_read_user(buf + off, copy, (const void *)arg_start) == 0)
			alen = copy;
	}
	r->filename_len = flen;
	r->name_len = nlen;
	r->argv_len = alen;
	off += alen;
	off &= SCRATCH_SIZE - 1; /* <= 4959 */
	r->h.size = off;
	if (off >= EXEC_FIXED)
		emit_record(buf, off, copy < args_len || buf[EXEC_FIXED] != '/');
	return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int proc_exit(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct hdr *r;

	if ((__u32)id != (__u32)(id >> 32))
		return 0;
	r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	if (!r) {
		count_drop();
		return 0;
	}
	fill_hdr(r, sizeof(*r), 'X', bpf_ktime_get_ns(), id >> 32, 0);
	bpf_ringbuf_submit(r, rb_flags());
	return 0;
}


/*
 * A program on sys_exit_NAME named PREFIX_exit_NAME (the loader turns sensors off by that prefix) that hands the
 * syscall's return value to FN.
 */
#define SYS_EXIT_PROG(prefix, name, fn)                                  \
	SEC("tracepoint/syscalls/sys_exit_" #name)                        \
	int prefix##_exit_##name(struct trace_event_raw_sys_exit *ctx) \
	{                                                                 \
		return fn(ctx->ret);                                      \
	}

/* ======================= files ======================= */

static __always_inline int open_enter(const char *path, __s32 dfd, __u64 flags)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct open_args a = {};

	if (excluded(id >> 32) || (flags & WRITE_FLAGS) == 0)
		return 0;
	if (!path_ok(path))
		return 0;
	a.path = path;
	a.dfd = dfd;
	a.flags = (__u32)flags;
	bpf_map_update_elem(&open_tmp, &tid, &a, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int file_enter_openat(struct trace_event_raw_sys_enter *ctx)
{
	return open_enter((const char *)ctx->args[1], (__s32)ctx->args[0], ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_open")
int file_enter_open(struct trace_event_raw_sys_enter *ctx)
{
	return open_enter((const char *)ctx->args[0], AT_FDCWD, ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_enter_creat")
int file_enter_creat(struct trace_event_raw_sys_enter *ctx)
{
	return open_enter((const char *)ctx->args[0], AT_FDCWD, CREAT_FLAGS);
}

SEC("tracepoint/syscalls/sys_enter_openat2")
int file_enter_openat2(struct trace_event_raw_sys_enter *ctx)
{
	struct open_how *how = (struct open_how *)ctx->args[2];
	__u64 flags = 0;

	if (bpf_probe_read_user(&flags, sizeof(flags), &how->flags))
		return 0;
	return open_enter((const char *)ctx->args[1], (__s32)ctx->args[0], flags);
}

/*
 * Reads a user path after a record's fixed part (`fixed` bytes, a constant), sets the path's length and the
 * record's size, and sends the record.
 */
static __always_inline void emit_path_rec(char *buf, __u32 fixed, __u16 *path_len, const char *path)
{
	long n = bpf_probe_read_user_str(buf + fixed, PATH_MAX_ + 1, path);
	__u32 len = str_len(n, PATH_MAX_);

	*path_len = len;
	len += fixed;
	len &= 2047;
	((struct hdr *)buf)->size = len;
	if (len >= fixed)
		emit_record(buf, len, buf[fixed] != '/');
}

static __always_inline int open_exit(long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id, tgid = id >> 32;
	struct task_struct *task;
	struct open_args *p, a;
	struct fold_key key = {};
	struct open_rec *r;
	struct inode *inode;
	struct file *file;
	__u64 now, *last;
	__u32 created;
	char *buf;
	bool report;

	p = bpf_map_lookup_elem(&open_tmp, &tid);
	if (!p)
		return 0;
	a = *p;
	bpf_map_delete_elem(&open_tmp, &tid);
	if (ret < 0)
		return 0;
	task = (struct task_struct *)bpf_get_current_task();
	file = fd_file(task, ret);
	if (!file)
		return 0;
	inode = BPF_CORE_READ(file, f_inode);
	created = (BPF_CORE_READ(file, f_mode) & FMODE_CREATED) != 0;
	key.dev = BPF_CORE_READ(inode, i_sb, s_dev);
	key.ino = BPF_CORE_READ(inode, i_ino);
	key.pid_exec = ((__u64)tgid << 32) | (__u32)BPF_CORE_READ(task, self_exec_id);
	now = bpf_ktime_get_ns();
	last = bpf_map_lookup_elem(&fold, &key);
	report = created || !last || *last < fold_clear_ns || now - *last > fold_ns;
	bpf_map_update_elem(&fold, &key, &now, BPF_ANY);
	if (!report) {
		last = bpf_map_lookup_elem(&folding, &tgid);
		if (!last || now - *last > NSEC_PER_SEC)
			bpf_map_update_elem(&folding, &tgid, &now, BPF_ANY);
		return 0;
	}

	buf = scratch_buf();
	if (!buf)
		return 0;
	r = (struct open_rec *)buf;
	FILE_FILL(r, 'o', now, tgid, a.dfd);
	r->flags = a.flags;
	r->ino = key.ino;
	r->created = created;
	r->zero = 0;
	emit_path_rec(buf, OPEN_FIXED, &r->path_len, a.path);
	return 0;
}

SYS_EXIT_PROG(file, openat, open_exit)
SYS_EXIT_PROG(file, open, open_exit)
SYS_EXIT_PROG(file, creat, open_exit)
SYS_EXIT_PROG(file, openat2, open_exit)

static __always_inline int unlink_enter(const char *path, __s32 dfd)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct unlink_args a = {};

	if (excluded(id >> 32) || !path_ok(path))
		return 0;
	a.path = path;
	a.dfd = dfd;
	bpf_map_update_elem(&unlink_tmp, &tid, &a, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_unlinkat")
int file_enter_unlinkat(struct trace_event_raw_sys_enter *ctx)
{
	if (ctx->args[2] & AT_REMOVEDIR)
		return 0;
	return unlink_enter((const char *)ctx->args[1], (__s32)ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_enter_unlink")
int file_enter_unlink(struct trace_event_raw_sys_enter *ctx)
{
	return unlink_enter((const char *)ctx->args[0], AT_FDCWD);
}

static __always_inline int unlink_exit(long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct unlink_args *p, a;
	struct unlink_rec *r;
	char *buf;

	p = bpf_map_lookup_elem(&unlink_tmp, &tid);
	if (!p)
		return 0;
	a = *p;
	bpf_map_delete_elem(&unlink_tmp, &tid);
	if (ret != 0)
		return 0;
	buf = scratch_buf();
	if (!buf)
		return 0;
	r = (struct unlink_rec *)buf;
	FILE_FILL(r, 'd', bpf_ktime_get_ns(), id >> 32, a.dfd);
	r->zero = 0;
	emit_path_rec(buf, UNLINK_FIXED, &r->path_len, a.path);
	return 0;
}

SYS_EXIT_PROG(file, unlinkat, unlink_exit)
SYS_EXIT_PROG(file, unlink, unlink_exit)

static __always_inline int rename_enter(const char *old_path, const char *new_path, __s32 old_dfd, __s32 new_dfd)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct rename_args a = {};

	if (excluded(id >> 32))
		return 0;
	if (!path_ok(old_path) && !path_ok(new_path))
		return 0;
	a.old_path = old_path;
	a.new_path = new_path;
	a.old_dfd = old_dfd;
	a.new_dfd = new_dfd;
	bpf_map_update_elem(&rename_tmp, &tid, &a, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_renameat2")
int file_enter_renameat2(struct trace_event_raw_sys_enter *ctx)
{
	return rename_enter((const char *)ctx->args[1], (const char *)ctx->args[3], (__s32)ctx->args[0],
			    (__s32)ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_renameat")
int file_enter_renameat(struct trace_event_raw_sys_enter *ctx)
{
	return rename_enter((const char *)ctx->args[1], (const char *)ctx->args[3], (__s32)ctx->args[0],
			    (__s32)ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_rename")
int file_enter_rename(struct trace_event_raw_sys_enter *ctx)
{
	return rename_enter((const char *)ctx->args[0], (const char *)ctx->args[1], AT_FDCWD, AT_FDCWD);
}

static __always_inline int rename_exit(long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id, tgid = id >> 32;
	struct rename_args *p, a;
	struct rename_rec *r;
	__u32 olen, nlen, off;
	__u64 now, *folded;
	bool urgent;
	char *buf;
	long n;

	p = bpf_map_lookup_elem(&rename_tmp, &tid);
	if (!p)
		return 0;
	a = *p;
	bpf_map_delete_elem(&rename_tmp, &tid);
	if (ret != 0)
		return 0;
	buf = scratch_buf();
	if (!buf)
		return 0;
	r = (struct rename_rec *)buf;
	now = bpf_ktime_get_ns();
	FILE_FILL(r, 'r', now, tgid, a.old_dfd);
	r->new_dfd = a.new_dfd;
	n = bpf_probe_read_user_str(buf + RENAME_FIXED, PATH_MAX_ + 1, a.old_path);
	olen = str_len(n, PATH_MAX_);
	off = RENAME_FIXED + olen;
	off &= 2047; /* <= 1068 */
	n = bpf_probe_read_user_str(buf + off, PATH_MAX_ + 1, a.new_path);
	nlen = str_len(n, PATH_MAX_);
	folded = bpf_map_lookup_elem(&folding, &tgid);
	urgent = buf[RENAME_FIXED] != '/' || buf[off] != '/' || (folded && now - *folded <= fold_ns + NSEC_PER_SEC);
	r->old_len = olen;
	r->new_len = nlen;
	off = RENAME_FIXED + olen + nlen;
	off &= 4095; /* <= 2092 */
	r->h.size = off;
	if (off >= RENAME_FIXED)
		emit_record(buf, off, urgent);
	return 0;
}

SYS_EXIT_PROG(file, renameat2, rename_exit)
SYS_EXIT_PROG(file, renameat, rename_exit)
SYS_EXIT_PROG(file, rename, rename_exit)

/* ======================= network ======================= */

SEC("tracepoint/sock/inet_sock_set_state")
int net_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
	__u64 skaddr = (__u64)ctx->skaddr;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	int oldstate = ctx->oldstate, newstate = ctx->newstate;
	struct net_rec *r;
	__u32 pid, *pp;
	char kind;

	if (ctx->protocol != IPPROTO_TCP)
		return 0;
	if (newstate == TCP_SYN_SENT_) {
		if (!excluded(tgid))
			bpf_map_update_elem(&conn_pid, &skaddr, &tgid, BPF_ANY);
		return 0;
	}
	if (oldstate == TCP_SYN_SENT_) {
		pp = bpf_map_lookup_elem(&conn_pid, &skaddr);
		pid = pp ? *pp : 0;
		bpf_map_delete_elem(&conn_pid, &skaddr);
		if (pid == 0)
			return 0;
		kind = 'C';
	} else if (newstate == TCP_LISTEN_ && !excluded(tgid)) {
		pid = tgid;
		kind = 'L';
	} else {
		return 0;
	}
	r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	if (!r) {
		count_drop();
		return 0;
	}
	__builtin_memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->kind = kind;
	r->ns = bpf_ktime_get_ns();
	r->pid = pid;
	r->family = ctx->family;
	r->protocol = IPPROTO_TCP;
	r->newstate = kind == 'C' ? newstate : 0;
	r->lport = ctx->sport;
	r->rport = ctx->dport;
	/* Read through a helper: the verifier refuses loads through a ctx pointer plus a variable. */
	if (ctx->family == AF_INET6) {
		bpf_probe_read_kernel(r->laddr, 16, ctx->saddr_v6);
		bpf_probe_read_kernel(r->raddr, 16, ctx->daddr_v6);
	} else {
		bpf_probe_read_kernel(r->laddr, 4, ctx->saddr);
		bpf_probe_read_kernel(r->raddr, 4, ctx->daddr);
	}
	bpf_ringbuf_submit(r, rb_flags());
	return 0;
}

/* A record of the socket of fd `fd` of the current task; `udp_only`: only UDP sockets. */
static __always_inline void sock_record(char kind, long fd, bool udp_only)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct file *file = fd_file(task, fd);
	struct socket *sock;
	struct sock *sk;
	struct net_rec *r;
	__u16 family, protocol;

	if (!file)
		return;
	sock = BPF_CORE_READ(file, private_data);
	if (!sock)
		return;
	sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return;
	protocol = BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol);
	if (udp_only && protocol != IPPROTO_UDP)
		return;
	r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	if (!r) {
		count_drop();
		return;
	}
	__builtin_memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->kind = kind;
	r->ns = bpf_ktime_get_ns();
	r->pid = bpf_get_current_pid_tgid() >> 32;
	r->family = family;
	r->protocol = protocol;
	r->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	r->rport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (family == AF_INET6) {
		BPF_CORE_READ_INTO(&r->laddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(&r->raddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	} else {
		BPF_CORE_READ_INTO((__u32 *)r->laddr, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO((__u32 *)r->raddr, sk, __sk_common.skc_daddr);
	}
	bpf_ringbuf_submit(r, rb_flags());
}

static __always_inline int accept_enter(void)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id, one = 1;

	if (!excluded(id >> 32))
		bpf_map_update_elem(&accept_tmp, &tid, &one, BPF_ANY);
	return 0;
}

static __always_inline int accept_exit(long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (!bpf_map_lookup_elem(&accept_tmp, &tid))
		return 0;
	bpf_map_delete_elem(&accept_tmp, &tid);
	if (ret >= 0)
		sock_record('I', ret, false);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_accept")
int net_enter_accept(void *ctx)
{
	return accept_enter();
}

SEC("tracepoint/syscalls/sys_enter_accept4")
int net_enter_accept4(void *ctx)
{
	return accept_enter();
}

SYS_EXIT_PROG(net, accept, accept_exit)
SYS_EXIT_PROG(net, accept4, accept_exit)

SEC("tracepoint/syscalls/sys_enter_connect")
int net_enter_connect(struct trace_event_raw_sys_enter *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	__s32 fd = (__s32)ctx->args[0];

	if (!excluded(id >> 32))
		bpf_map_update_elem(&connect_tmp, &tid, &fd, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_connect")
int net_exit_connect(struct trace_event_raw_sys_exit *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__s32 *p = bpf_map_lookup_elem(&connect_tmp, &tid);
	__s32 fd;

	if (!p)
		return 0;
	fd = *p;
	bpf_map_delete_elem(&connect_tmp, &tid);
	if (ctx->ret == 0)
		sock_record('U', fd, true);
	return 0;
}
