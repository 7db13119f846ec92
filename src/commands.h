/*
 * The commands of shm(1).  Each cmd_*() gets its own argv, with argv[0] the
 * command's name, and returns the exit status (see shm(1), EXIT STATUS).
 */
#ifndef SHM_COMMANDS_H
#define SHM_COMMANDS_H

struct shm_command {
	const char	*name;
	int		(*fn)(int, const char **);
	const char	*summary;
};

int	cmd_create(int, const char **);
int	cmd_write(int, const char **);
int	cmd_read(int, const char **);
int	cmd_rm(int, const char **);
int	cmd_ls(int, const char **);
int	cmd_stat(int, const char **);
int	cmd_key(int, const char **);
int	cmd_chmod(int, const char **);
int	cmd_chown(int, const char **);
int	cmd_limits(int, const char **);
int	cmd_fork_demo(int, const char **);
int	cmd_wait(int, const char **);
int	cmd_add(int, const char **);
int	cmd_cas(int, const char **);
int	cmd_lock(int, const char **);
int	cmd_metrics(int, const char **);

#endif
