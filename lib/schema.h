/* The numbered migrations of schema/, compiled in (tools/embed-sql.sh).
 * The database's user_version is the number of migrations applied. */
#ifndef FR_SCHEMA_H
#define FR_SCHEMA_H

struct migration {
    const char *name;
    const char *sql;
};

extern const struct migration schema_migrations[];
extern const int schema_migration_count;

/* 'FREC': marks a file as a fence_recorder database. */
#define SCHEMA_APPLICATION_ID 0x46524543

#endif
