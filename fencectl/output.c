/* Rows as an aligned table (buffered to size the columns), a JSON array
 * of objects (jq-friendly), or RFC 4180 CSV. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jsonw.h"
#include "strbuf.h"

#define MAX_COLUMNS 24

struct output {
    enum format format;
    FILE *out;
    int ncols;
    const char *columns[MAX_COLUMNS];
    int rows;
    char kinds[MAX_COLUMNS];   /* JSON only: 's' string, 'n' number, 'a' JSON array */
    /* table: every cell kept until the end */
    char **cells;
    size_t ncells, cap;
    bool failed;
};

static void csv_field(FILE *out, const char *v)
{
    if (!strpbrk(v, ",\"\n\r")) {
        fputs(v, out);
        return;
    }
    fputc('"', out);
    for (; *v; v++) {
        if (*v == '"')
            fputc('"', out);
        fputc(*v, out);
    }
    fputc('"', out);
}

struct output *output_begin(const struct cli *cli, FILE *out, const char *const *columns, int n)
{
    struct output *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->format = cli->format;
    o->out = out;
    o->ncols = n < MAX_COLUMNS ? n : MAX_COLUMNS;
    for (int i = 0; i < o->ncols; i++) {
        o->columns[i] = columns[i];
        o->kinds[i] = 's';
    }
    if (o->format == FORMAT_JSON)
        fputs("[", out);
    if (o->format == FORMAT_CSV) {
        for (int i = 0; i < o->ncols; i++) {
            if (i)
                fputc(',', out);
            csv_field(out, columns[i]);
        }
        fputc('\n', out);
    }
    return o;
}

static void keep_cell(struct output *o, const char *v)
{
    if (o->ncells == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 64;
        char **cells = realloc(o->cells, cap * sizeof *cells);
        if (!cells) {
            o->failed = true;
            return;
        }
        o->cells = cells;
        o->cap = cap;
    }
    /* One line per row in a table: control characters become spaces. */
    char *copy = strdup(v);
    if (!copy) {
        o->failed = true;
        return;
    }
    for (char *p = copy; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = ' ';
    o->cells[o->ncells++] = copy;
}

void output_kinds(struct output *o, const char *kinds)
{
    if (!o)
        return;
    for (int i = 0; i < o->ncols && kinds[i]; i++)
        o->kinds[i] = kinds[i];
}

/* A JSON number exactly as it stands ("12", "-3", "99.5"), not "0x1f",
 * "+1", "1e999" or "nan". */
static bool is_json_number(const char *v)
{
    if (!v[0] || v[0] == '+' || strpbrk(v, "xXnNiI"))
        return false;
    char *end;
    double d = strtod(v, &end);
    return *end == '\0' && isfinite(d) && (v[0] == '-' ? v[1] : v[0]) >= '0' &&
           (v[0] == '-' ? v[1] : v[0]) <= '9';
}

/* A value typed for JSON: numbers and arrays as themselves, anything
 * that is not what the column promises as a string, so no value is lost. */
static void json_value(struct strbuf *sb, char kind, const char *v)
{
    if (kind == 'n' && is_json_number(v)) {
        strbuf_adds(sb, v);
        return;
    }
    if (kind == 'a') {
        cJSON *arr = cJSON_Parse(v);
        char *text = cJSON_IsArray(arr) ? cJSON_PrintUnformatted(arr) : NULL;
        cJSON_Delete(arr);
        if (text) {
            strbuf_adds(sb, text);
            cJSON_free(text);
            return;
        }
    }
    json_add_string(sb, v);
}

void output_row(struct output *o, const char *const *values)
{
    if (!o)
        return;
    if (o->format == FORMAT_TABLE) {
        for (int i = 0; i < o->ncols; i++)
            keep_cell(o, values[i] ? values[i] : "");
    } else if (o->format == FORMAT_CSV) {
        for (int i = 0; i < o->ncols; i++) {
            if (i)
                fputc(',', o->out);
            csv_field(o->out, values[i] ? values[i] : "");
        }
        fputc('\n', o->out);
    } else {
        struct strbuf sb = STRBUF_INIT;
        strbuf_adds(&sb, o->rows ? ",\n  {" : "\n  {");
        for (int i = 0; i < o->ncols; i++) {
            strbuf_adds(&sb, i ? ", " : "");
            json_add_string(&sb, o->columns[i]);
            strbuf_adds(&sb, ": ");
            if (values[i])
                json_value(&sb, o->kinds[i], values[i]);
            else
                strbuf_adds(&sb, "null");
        }
        strbuf_adds(&sb, "}");
        fputs(strbuf_str(&sb), o->out);
        o->failed |= strbuf_failed(&sb);
        strbuf_release(&sb);
    }
    o->rows++;
}

/* Padded to the column's width; the last column ends the line unpadded. */
static void print_cell(struct output *o, int c, const size_t *width, const char *v)
{
    if (c + 1 < o->ncols)
        fprintf(o->out, "%-*s  ", (int)width[c], v);
    else
        fprintf(o->out, "%s\n", v);
}

static void print_table(struct output *o)
{
    size_t width[MAX_COLUMNS];
    for (int c = 0; c < o->ncols; c++)
        width[c] = strlen(o->columns[c]);
    for (size_t i = 0; i < o->ncells; i++) {
        size_t w = strlen(o->cells[i]);
        if (w > width[i % (size_t)o->ncols])
            width[i % (size_t)o->ncols] = w;
    }
    for (int c = 0; c < o->ncols; c++)
        print_cell(o, c, width, o->columns[c]);
    for (size_t i = 0; i < o->ncells; i++)
        print_cell(o, (int)(i % (size_t)o->ncols), width, o->cells[i]);
}

int output_end(struct output *o)
{
    if (!o)
        return -1;
    if (o->format == FORMAT_TABLE)
        print_table(o);
    else if (o->format == FORMAT_JSON)
        fputs(o->rows ? "\n]\n" : "]\n", o->out);
    for (size_t i = 0; i < o->ncells; i++)
        free(o->cells[i]);
    free(o->cells);
    bool failed = o->failed || ferror(o->out);
    free(o);
    return failed ? -1 : 0;
}
