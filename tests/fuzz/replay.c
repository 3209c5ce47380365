// SPDX-License-Identifier: GPL-2.0
/*
 * The Check suite of a fuzz target: replay every input of its corpus,
 * tests/fuzz/corpus/<target>/ (seeds, and regress-* inputs: each a finding
 * of the fuzzer, kept as a regression test), through the target's
 * LLVMFuzzerTestOneInput(), one Check test per input. Built with CC for
 * each arch backend and run by make check, so the findings stay fixed on
 * builds without clang, under the sanitizers and under valgrind.
 *
 * PTB_FUZZ_CORPUS=DIR[:DIR...] replays other directories (a fuzzer's work
 * directory, say). A directory that does not exist or holds no input is an
 * error, never a vacuous pass.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "fuzz.h"

#ifndef PTB_FUZZ_TARGET
#error "PTB_FUZZ_TARGET names the target (batch, swp, unmap)"
#endif

static char **replay_files;
static unsigned int replay_nr, replay_cap;
static const char *replay_current;

static void replay_die(const char *fmt, const char *arg, const char *why)
{
	fprintf(stderr, "check_fuzz_%s: ", PTB_FUZZ_TARGET);
	fprintf(stderr, fmt, arg, why);
	fputc('\n', stderr);
	exit(EXIT_FAILURE);
}

static int replay_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay_add_dir(const char *dir)
{
	unsigned int before = replay_nr;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		replay_die("cannot read corpus directory '%s': %s", dir,
			   strerror(errno));
	while ((de = readdir(d))) {
		struct stat st;
		char *path;

		if (de->d_name[0] == '.')
			continue;
		path = malloc(strlen(dir) + strlen(de->d_name) + 2);
		if (!path)
			abort();
		sprintf(path, "%s/%s", dir, de->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		if (replay_nr == replay_cap) {
			replay_cap = replay_cap ? 2 * replay_cap : 64;
			replay_files = realloc(replay_files,
					       replay_cap * sizeof(*replay_files));
			if (!replay_files)
				abort();
		}
		replay_files[replay_nr++] = path;
	}
	closedir(d);
	if (replay_nr == before)
		replay_die("corpus directory '%s' holds no input%s", dir, "");
	qsort(replay_files + before, replay_nr - before,
	      sizeof(*replay_files), replay_cmp);
}

static void replay_free(void)
{
	unsigned int i;

	for (i = 0; i < replay_nr; i++)
		free(replay_files[i]);
	free(replay_files);
	replay_files = NULL;
	replay_nr = replay_cap = 0;
}

/* A finding while replaying: fail the test, naming the input. */
static void replay_fail_hook(const char *msg)
{
	ck_abort_msg("%s: %s", replay_current, msg);
}

static void replay_warn(const char *file, int line, const char *func,
			const char *what)
{
	ck_abort_msg("%s: %s failed at %s:%d in %s()", replay_current, what,
		     file, line, func);
}

START_TEST(corpus_input_passes)
{
	const char *path = replay_files[_i];
	unsigned char *buf;
	struct stat st;
	size_t got = 0;
	FILE *f;

	f = fopen(path, "rb");
	ck_assert_msg(f && !fstat(fileno(f), &st), "cannot read %s", path);
	buf = malloc(st.st_size ? st.st_size : 1);
	ck_assert(buf);
	if (st.st_size)
		got = fread(buf, 1, st.st_size, f);
	fclose(f);
	ck_assert_msg(got == (size_t)st.st_size, "short read of %s", path);

	replay_current = path;
	fuzz_fail_hook = replay_fail_hook;
	ptb_set_warn_handler(replay_warn);
	LLVMFuzzerTestOneInput(buf, got);
	free(buf);
}
END_TEST

Suite *ptb_suite(void)
{
	const char *env = getenv("PTB_FUZZ_CORPUS");
	const char *srcdir = getenv("srcdir");
	Suite *s = suite_create("fuzz_" PTB_FUZZ_TARGET);
	TCase *tc = tcase_create("corpus");
	char *dirs, *dir, *save = NULL;

	if (env) {
		if (!*env)
			replay_die("PTB_FUZZ_CORPUS is empty%s%s", "", "");
		dirs = strdup(env);
	} else {
		dirs = malloc(strlen(srcdir ? srcdir : ".") + 64);
		if (dirs)
			sprintf(dirs, "%s/tests/fuzz/corpus/%s",
				srcdir ? srcdir : ".", PTB_FUZZ_TARGET);
	}
	if (!dirs)
		abort();
	for (dir = strtok_r(dirs, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save))
		replay_add_dir(dir);
	free(dirs);
	atexit(replay_free);

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, corpus_input_passes, 0, replay_nr);
	suite_add_tcase(s, tc);
	return s;
}
