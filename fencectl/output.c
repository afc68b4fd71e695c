/* Rows as an aligned table (buffered to size the columns), a JSON array
 * of objects (jq-friendly), or RFC 4180 CSV. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jsonw.h"
#include "strbuf.h"
#include "utf8.h"

#define MAX_COLUMNS 24

struct output {
    enum format format;
    FILE *out;
    int ncols;
    const char *columns[MAX_COLUMNS];
    int rows;
    char kinds[MAX_COLUMNS];   /* JSON only: 's' string, 'n' number, 'a' JSON array */
    size_t max[MAX_COLUMNS];   /* table only: display width a column is cut to, 0 none */
    size_t fit;                /* table only: the widest line allowed, 0 none */
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

void output_column_max(struct output *o, int column, size_t max)
{
    if (o && column >= 0 && column < o->ncols)
        o->max[column] = max;
}

void output_fit_width(struct output *o, size_t width)
{
    if (o)
        o->fit = width;
}

/* The length of the character at s: a UTF-8 sequence, or one byte that
 * is not one (shown by the terminal as one replacement character). */
static size_t char_len(const char *s)
{
    uint32_t cp;
    size_t n = utf8_decode((const unsigned char *)s, &cp);
    return n ? n : 1;
}

/* Display width: one column per character, as a terminal shows the
 * scripts node names and messages are written in. */
static size_t display_width(const char *s)
{
    size_t w = 0;
    for (; *s; s += char_len(s))
        w++;
    return w;
}

/* s cut to at most max display columns, "…" (one column) marking the cut,
 * never inside a character: the bytes to print before the "…", and
 * whether it is needed. */
static size_t cut_at(const char *s, size_t max, bool *cut)
{
    *cut = display_width(s) > max;
    if (!*cut)
        return strlen(s);
    size_t bytes = 0, w = 0;
    while (s[bytes] && w + 2 <= max) {   /* leaves a column for the "…" */
        bytes += char_len(s + bytes);
        w++;
    }
    return bytes;
}

/* Padded to the column's width; the last column ends the line unpadded. */
static void print_cell(struct output *o, int c, const size_t *width, const char *v)
{
    bool cut;
    size_t bytes = cut_at(v, width[c], &cut);
    fwrite(v, 1, bytes, o->out);
    if (cut && width[c] > 0)
        fputs("\xe2\x80\xa6", o->out);   /* U+2026 HORIZONTAL ELLIPSIS */
    if (c + 1 == o->ncols) {
        fputc('\n', o->out);
        return;
    }
    for (size_t w = cut ? width[c] : display_width(v); w < width[c] + 2; w++)
        fputc(' ', o->out);
}

static size_t capped(const struct output *o, int c, size_t w)
{
    return o->max[c] && w > o->max[c] ? o->max[c] : w;
}

static void print_table(struct output *o)
{
    size_t width[MAX_COLUMNS];
    for (int c = 0; c < o->ncols; c++)
        width[c] = capped(o, c, display_width(o->columns[c]));
    for (size_t i = 0; i < o->ncells; i++) {
        int c = (int)(i % (size_t)o->ncols);
        size_t w = capped(o, c, display_width(o->cells[i]));
        if (w > width[c])
            width[c] = w;
    }
    /* The last column gets what the others leave of the line. */
    if (o->fit && o->ncols > 0) {
        size_t used = 0;
        for (int c = 0; c + 1 < o->ncols; c++)
            used += width[c] + 2;
        size_t left = used < o->fit ? o->fit - used : 0;
        if (width[o->ncols - 1] > left)
            width[o->ncols - 1] = left;
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
