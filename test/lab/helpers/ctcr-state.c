/*
 * ctcr-state: puts one process of a lab container into one state CRIU has to
 * dump, then sleeps. Used by test/lab/matrix.test.ts (compiled there with
 * `gcc -static -O2`, copied into the container's rootfs, started with
 * lxc-attach). One subcommand per state; `ctcr-state list` prints them.
 *
 * When the state is set up the helper writes "ready <pid>\n" to stdout (the
 * harness waits for it); on failure it writes "error <what>: <errno text>" and
 * exits 1. Everything else it keeps open until it is killed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/fanotify.h>
#include <linux/io_uring.h>
#include <linux/perf_event.h>
#include <linux/userfaultfd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_ether.h>
#include <unistd.h>

static void die(const char *what) {
  printf("error %s: %s\n", what, strerror(errno));
  fflush(stdout);
  exit(1);
}

static void ready(void) {
  printf("ready %d\n", (int)getpid());
  fflush(stdout);
}

static void sleep_forever(void) {
  for (;;) pause();
}

static void done(void) {
  ready();
  sleep_forever();
}

/* A child that sleeps; the parent keeps running too. */
static pid_t child_sleeper(void) {
  pid_t p = fork();
  if (p < 0) die("fork");
  if (p == 0) sleep_forever();
  return p;
}

static int tmpfile_of(const char *path, size_t size) {
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) die("open");
  char buf[4096];
  memset(buf, 'x', sizeof buf);
  for (size_t n = 0; n < size; n += sizeof buf)
    if (write(fd, buf, sizeof buf) != sizeof buf) die("write");
  return fd;
}

/* ------------------------------------------------------------------ states */

static void st_sleep(void) { done(); }

static void st_deleted(size_t size) {
  tmpfile_of("/tmp/ctcr-deleted", size);
  if (unlink("/tmp/ctcr-deleted")) die("unlink");
  done();
}
static void st_deleted_small(void) { st_deleted(16 * 1024); }
static void st_deleted_large(void) { st_deleted(4 * 1024 * 1024); }

static void st_unshare(int flag, const char *what) {
  if (unshare(flag)) die(what);
  if (flag == CLONE_NEWPID) {
    /* the new pid namespace holds the next child */
    child_sleeper();
  }
  done();
}
static void st_pidns(void) { st_unshare(CLONE_NEWPID, "unshare pid"); }
static void st_netns(void) { st_unshare(CLONE_NEWNET, "unshare net"); }
static void st_mntns(void) { st_unshare(CLONE_NEWNS, "unshare mnt"); }
static void st_utsns(void) { st_unshare(CLONE_NEWUTS, "unshare uts"); }
static void st_ipcns(void) { st_unshare(CLONE_NEWIPC, "unshare ipc"); }
static void st_userns(void) { st_unshare(CLONE_NEWUSER, "unshare user"); }
static void st_cgroupns(void) { st_unshare(CLONE_NEWCGROUP, "unshare cgroup"); }
static void st_timens(void) {
  if (unshare(0x00000080 /* CLONE_NEWTIME */)) die("unshare time");
  child_sleeper(); /* a time namespace takes effect for children */
  done();
}

static void st_zombie(void) {
  pid_t p = fork();
  if (p < 0) die("fork");
  if (p == 0) _exit(0);
  usleep(100000);
  done();
}

static void st_stopped(void) {
  pid_t p = fork();
  if (p < 0) die("fork");
  if (p == 0) {
    raise(SIGSTOP);
    sleep_forever();
  }
  int status;
  if (waitpid(p, &status, WUNTRACED) < 0) die("waitpid");
  done();
}

static void st_ptraced(void) {
  pid_t p = child_sleeper();
  if (ptrace(PTRACE_SEIZE, p, 0, 0)) die("ptrace seize");
  done();
}

static void st_flock(void) {
  int fd = tmpfile_of("/tmp/ctcr-flock", 4096);
  if (flock(fd, LOCK_EX)) die("flock");
  done();
}

static void st_posix_lock(void) {
  int fd = tmpfile_of("/tmp/ctcr-posix-lock", 4096);
  struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
  if (fcntl(fd, F_SETLK, &fl)) die("fcntl F_SETLK");
  done();
}

static void st_ofd_lock(void) {
  int fd = tmpfile_of("/tmp/ctcr-ofd-lock", 4096);
  struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
  if (fcntl(fd, F_OFD_SETLK, &fl)) die("fcntl F_OFD_SETLK");
  done();
}

static void st_inotify(void) {
  int fd = inotify_init1(0);
  if (fd < 0) die("inotify_init1");
  if (inotify_add_watch(fd, "/tmp", IN_CREATE | IN_DELETE) < 0) die("inotify_add_watch");
  done();
}

static void st_fanotify(void) {
  int fd = syscall(SYS_fanotify_init, FAN_CLASS_NOTIF, O_RDONLY);
  if (fd < 0) die("fanotify_init");
  if (syscall(SYS_fanotify_mark, fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, "/tmp") < 0) die("fanotify_mark");
  done();
}

static void st_io_uring(void) {
  struct io_uring_params p;
  memset(&p, 0, sizeof p);
  int fd = syscall(SYS_io_uring_setup, 4, &p);
  if (fd < 0) die("io_uring_setup");
  done();
}

static void st_perf_event(void) {
  struct perf_event_attr a;
  memset(&a, 0, sizeof a);
  a.type = PERF_TYPE_SOFTWARE;
  a.size = sizeof a;
  a.config = PERF_COUNT_SW_TASK_CLOCK;
  a.exclude_kernel = 1;
  int fd = syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
  if (fd < 0) die("perf_event_open");
  done();
}

static void st_userfaultfd(void) {
  int fd = syscall(SYS_userfaultfd, O_CLOEXEC);
  if (fd < 0) die("userfaultfd");
  struct uffdio_api api = { .api = UFFD_API };
  if (ioctl(fd, UFFDIO_API, &api)) die("UFFDIO_API");
  done();
}

static void st_bpf_map(void) {
  union bpf_attr a;
  memset(&a, 0, sizeof a);
  a.map_type = BPF_MAP_TYPE_ARRAY;
  a.key_size = 4;
  a.value_size = 8;
  a.max_entries = 4;
  int fd = syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof a);
  if (fd < 0) die("bpf map create");
  done();
}

static void st_eventfd(void) {
  if (eventfd(3, 0) < 0) die("eventfd");
  done();
}

static void st_signalfd(void) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGUSR1);
  sigprocmask(SIG_BLOCK, &s, NULL);
  if (signalfd(-1, &s, 0) < 0) die("signalfd");
  done();
}

static void st_timerfd(void) {
  int fd = timerfd_create(CLOCK_MONOTONIC, 0);
  if (fd < 0) die("timerfd_create");
  struct itimerspec its = { .it_interval = { 3600, 0 }, .it_value = { 3600, 0 } };
  if (timerfd_settime(fd, 0, &its, NULL)) die("timerfd_settime");
  done();
}

static void st_epoll(void) {
  int ep = epoll_create1(0);
  if (ep < 0) die("epoll_create1");
  int pfd[2];
  if (pipe(pfd)) die("pipe");
  struct epoll_event ev = { .events = EPOLLIN, .data = { .fd = pfd[0] } };
  if (epoll_ctl(ep, EPOLL_CTL_ADD, pfd[0], &ev)) die("epoll_ctl");
  done();
}

static void st_memfd(void) {
  int fd = memfd_create("ctcr-memfd", 0);
  if (fd < 0) die("memfd_create");
  if (ftruncate(fd, 65536)) die("ftruncate");
  void *m = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (m == MAP_FAILED) die("mmap");
  memset(m, 'm', 65536);
  done();
}

static void st_pidfd(void) {
  pid_t p = child_sleeper();
  if (syscall(SYS_pidfd_open, p, 0) < 0) die("pidfd_open");
  done();
}

static void st_fifo(void) {
  unlink("/tmp/ctcr-fifo");
  if (mkfifo("/tmp/ctcr-fifo", 0644)) die("mkfifo");
  if (open("/tmp/ctcr-fifo", O_RDWR) < 0) die("open fifo");
  done();
}

static void st_pipe(void) {
  int pfd[2];
  if (pipe(pfd)) die("pipe");
  if (write(pfd[1], "queued", 6) != 6) die("write pipe");
  done();
}

static int tcp_listener(int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) die("socket");
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr = { htonl(INADDR_LOOPBACK) } };
  if (bind(s, (struct sockaddr *)&a, sizeof a)) die("bind");
  if (listen(s, 4)) die("listen");
  return s;
}

static void st_tcp_listen(void) {
  tcp_listener(7001);
  done();
}

static void st_tcp_established(void) {
  int l = tcp_listener(7002);
  int c = socket(AF_INET, SOCK_STREAM, 0);
  if (c < 0) die("socket");
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(7002), .sin_addr = { htonl(INADDR_LOOPBACK) } };
  if (connect(c, (struct sockaddr *)&a, sizeof a)) die("connect");
  int s = accept(l, NULL, NULL);
  if (s < 0) die("accept");
  if (write(c, "hello", 5) != 5) die("write");
  done();
}

static void st_udp(void) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  if (s < 0) die("socket");
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(7003), .sin_addr = { htonl(INADDR_LOOPBACK) } };
  if (bind(s, (struct sockaddr *)&a, sizeof a)) die("bind");
  done();
}

static void st_packet(void) {
  if (socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)) < 0) die("socket AF_PACKET");
  done();
}

static void st_netlink_unread(void) {
  int s = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
  if (s < 0) die("socket AF_NETLINK");
  struct { struct nlmsghdr h; struct rtgenmsg g; } req;
  memset(&req, 0, sizeof req);
  req.h.nlmsg_len = sizeof req;
  req.h.nlmsg_type = RTM_GETLINK;
  req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  req.h.nlmsg_seq = 1;
  req.g.rtgen_family = AF_UNSPEC;
  if (send(s, &req, sizeof req, 0) < 0) die("send netlink");
  usleep(100000); /* the answer stays unread in the queue */
  done();
}

static void st_unix_pair(void) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) die("socketpair");
  if (write(sv[0], "queued", 6) != 6) die("write");
  done();
}

/* Connects to a unix socket whose listener is a process outside the container. */
static void st_unix_external(const char *path) {
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  if (s < 0) die("socket AF_UNIX");
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  strncpy(a.sun_path, path, sizeof a.sun_path - 1);
  if (connect(s, (struct sockaddr *)&a, sizeof a)) die("connect unix");
  done();
}

static void st_open_file(const char *path) {
  if (open(path, O_RDONLY) < 0) die("open");
  done();
}

static void st_mqueue(void) {
  struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 64 };
  mq_unlink("/ctcr-mq");
  mqd_t q = mq_open("/ctcr-mq", O_RDWR | O_CREAT, 0644, &attr);
  if (q == (mqd_t)-1) die("mq_open");
  if (mq_send(q, "queued", 6, 0)) die("mq_send");
  done();
}

static void st_sysv_shm(void) {
  int id = shmget(IPC_PRIVATE, 65536, IPC_CREAT | 0600);
  if (id < 0) die("shmget");
  void *m = shmat(id, NULL, 0);
  if (m == (void *)-1) die("shmat");
  memset(m, 's', 65536);
  done();
}

static void st_sysv_sem(void) {
  int id = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
  if (id < 0) die("semget");
  done();
}

static void st_sysv_msg(void) {
  int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  if (id < 0) die("msgget");
  struct { long type; char text[8]; } m = { 1, "queued" };
  if (msgsnd(id, &m, sizeof m.text, 0)) die("msgsnd");
  done();
}

static void st_mount(const char *fstype, const char *target) {
  mkdir(target, 0755);
  if (mount(fstype, target, fstype, 0, NULL)) die("mount");
  done();
}

/* Copies itself to /tmp, runs the copy, deletes it: a process whose executable is gone. */
static void st_deleted_exe(const char *self) {
  int in = open(self, O_RDONLY);
  if (in < 0) die("open self");
  int out = open("/tmp/ctcr-state-copy", O_WRONLY | O_CREAT | O_TRUNC, 0755);
  if (out < 0) die("open copy");
  char buf[65536];
  ssize_t n;
  while ((n = read(in, buf, sizeof buf)) > 0)
    if (write(out, buf, n) != n) die("write copy");
  close(in);
  close(out);
  pid_t p = fork();
  if (p < 0) die("fork");
  if (p == 0) {
    execl("/tmp/ctcr-state-copy", "ctcr-state-copy", "sleep", (char *)NULL);
    _exit(127);
  }
  usleep(200000);
  if (unlink("/tmp/ctcr-state-copy")) die("unlink copy");
  done();
}

static void st_seccomp(void) {
  struct sock_filter f[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
  struct sock_fprog prog = { .len = 1, .filter = f };
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) die("no_new_privs");
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog)) die("seccomp");
  done();
}

static void *thread_sleep(void *arg) {
  (void)arg;
  sleep_forever();
  return NULL;
}

static void st_threads(void) {
  for (int i = 0; i < 200; i++) {
    pthread_t t;
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 64 * 1024);
    if (pthread_create(&t, &a, thread_sleep, NULL)) die("pthread_create");
  }
  done();
}

static void st_children(void) {
  for (int i = 0; i < 50; i++) child_sleeper();
  done();
}

static void st_shared_anon(void) {
  void *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) die("mmap");
  memset(m, 'a', 1 << 20);
  child_sleeper();
  done();
}

static void st_cwd_deleted(void) {
  mkdir("/tmp/ctcr-gone", 0755);
  if (chdir("/tmp/ctcr-gone")) die("chdir");
  if (rmdir("/tmp/ctcr-gone")) die("rmdir");
  done();
}

struct state { const char *name; void (*fn)(void); };
static const struct state states[] = {
  { "sleep", st_sleep },
  { "deleted-small", st_deleted_small },
  { "deleted-large", st_deleted_large },
  { "pidns", st_pidns },
  { "netns", st_netns },
  { "mntns", st_mntns },
  { "utsns", st_utsns },
  { "ipcns", st_ipcns },
  { "userns", st_userns },
  { "cgroupns", st_cgroupns },
  { "timens", st_timens },
  { "zombie", st_zombie },
  { "stopped", st_stopped },
  { "ptraced", st_ptraced },
  { "flock", st_flock },
  { "posix-lock", st_posix_lock },
  { "ofd-lock", st_ofd_lock },
  { "inotify", st_inotify },
  { "fanotify", st_fanotify },
  { "io-uring", st_io_uring },
  { "perf-event", st_perf_event },
  { "userfaultfd", st_userfaultfd },
  { "bpf-map", st_bpf_map },
  { "eventfd", st_eventfd },
  { "signalfd", st_signalfd },
  { "timerfd", st_timerfd },
  { "epoll", st_epoll },
  { "memfd", st_memfd },
  { "pidfd", st_pidfd },
  { "fifo", st_fifo },
  { "pipe", st_pipe },
  { "tcp-listen", st_tcp_listen },
  { "tcp-established", st_tcp_established },
  { "udp", st_udp },
  { "packet-socket", st_packet },
  { "netlink-unread", st_netlink_unread },
  { "unix-pair", st_unix_pair },
  { "mqueue", st_mqueue },
  { "sysv-shm", st_sysv_shm },
  { "sysv-sem", st_sysv_sem },
  { "sysv-msg", st_sysv_msg },
  { "seccomp", st_seccomp },
  { "threads", st_threads },
  { "children", st_children },
  { "shared-anon", st_shared_anon },
  { "cwd-deleted", st_cwd_deleted },
};

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: ctcr-state STATE [ARG]   (ctcr-state list)\n");
    return 2;
  }
  const char *name = argv[1];
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (!strcmp(name, "list")) {
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) puts(states[i].name);
    puts("unix-external PATH");
    puts("open-file PATH");
    puts("mount FSTYPE TARGET");
    puts("deleted-exe");
    return 0;
  }
  for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
    if (!strcmp(name, states[i].name)) states[i].fn();
  if (!strcmp(name, "unix-external") && argc > 2) st_unix_external(argv[2]);
  if (!strcmp(name, "open-file") && argc > 2) st_open_file(argv[2]);
  if (!strcmp(name, "mount") && argc > 3) st_mount(argv[2], argv[3]);
  if (!strcmp(name, "deleted-exe")) st_deleted_exe("/proc/self/exe");
  fprintf(stderr, "ctcr-state: unknown state %s\n", name);
  return 2;
}
