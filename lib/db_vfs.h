/* SQLite's default VFS with one change for our writers: an existing WAL
 * is reopened without a directory fsync (see db_vfs.c). */
#ifndef FR_DB_VFS_H
#define FR_DB_VFS_H

#include <sqlite3.h>
#include <stdbool.h>

/* Registers it once (not as the default); its name for sqlite3_open_v2,
 * or NULL to use SQLite's default (then nothing is saved, nothing lost). */
const char *db_vfs_name(void);

#endif
