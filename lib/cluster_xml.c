#include "cluster_xml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The scanner works on a private copy, terminating names and values in
 * place; decoded entities are never longer than their encoding. */
struct scan {
    char *p, *end;
    const struct xml_handler *h;
    const char *stack[XML_MAX_DEPTH];
    int depth;
    int elements;
    struct error *err;
};

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_name_char(char c)
{
    return c && !is_space(c) && c != '/' && c != '>' && c != '=' && c != '<' &&
           c != '"' && c != '\'';
}

static void skip_space(struct scan *s)
{
    while (s->p < s->end && is_space(*s->p))
        s->p++;
}

static int skip_past(struct scan *s, const char *marker, const char *what)
{
    char *found = strstr(s->p, marker);
    if (!found)
        return errorf(s->err, "unterminated %s", what);
    s->p = found + strlen(marker);
    return 0;
}

/* Encodes code point cp as UTF-8 at out; returns bytes written (0: invalid). */
static size_t put_utf8(char *out, unsigned long cp)
{
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) { out[0] = (char)(0xC0 | (cp >> 6)); out[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12)); out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F)); return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18)); out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes the entities of a NUL-terminated attribute value in place. */
static int decode_entities(char *v, struct error *err)
{
    static const struct { const char *name; char c; } named[] = {
        { "lt;", '<' }, { "gt;", '>' }, { "amp;", '&' }, { "quot;", '"' }, { "apos;", '\'' },
    };
    char *out = v;
    for (char *in = v; *in;) {
        if (*in != '&') {
            *out++ = *in++;
            continue;
        }
        in++;
        size_t i;
        for (i = 0; i < sizeof named / sizeof named[0]; i++) {
            size_t n = strlen(named[i].name);
            if (strncmp(in, named[i].name, n) == 0) {
                *out++ = named[i].c;
                in += n;
                break;
            }
        }
        if (i < sizeof named / sizeof named[0])
            continue;
        if (*in != '#')
            return errorf(err, "unknown entity in attribute value");
        char *semi;
        unsigned long cp = in[1] == 'x' ? strtoul(in + 2, &semi, 16) : strtoul(in + 1, &semi, 10);
        size_t n = *semi == ';' ? put_utf8(out, cp) : 0;
        if (n == 0)
            return errorf(err, "invalid character reference in attribute value");
        out += n;
        in = semi + 1;
    }
    *out = '\0';
    return 0;
}

/* Reads a name at s->p, terminates it in place; *after gets the char
 * that followed it (overwritten by the NUL). */
static char *read_name(struct scan *s, char *after)
{
    char *start = s->p;
    while (s->p < s->end && is_name_char(*s->p))
        s->p++;
    if (s->p == start || s->p >= s->end)
        return NULL;
    *after = *s->p;
    *s->p++ = '\0';
    return start;
}

static int read_attrs(struct scan *s, char first, struct xml_attr *attrs, int *n, bool *self_closing)
{
    char c = first;
    *n = 0;
    for (;;) {
        if (is_space(c)) {
            skip_space(s);
            if (s->p >= s->end)
                return errorf(s->err, "truncated tag");
            c = *s->p++;
        }
        if (c == '>') { *self_closing = false; return 0; }
        if (c == '/') {
            if (s->p >= s->end || *s->p != '>')
                return errorf(s->err, "stray '/' in tag");
            s->p++;
            *self_closing = true;
            return 0;
        }
        s->p--;   /* c began an attribute name */
        char after;
        char *name = read_name(s, &after);
        if (!name || *n >= XML_MAX_ATTRS)
            return errorf(s->err, name ? "too many attributes" : "malformed attribute");
        if (is_space(after))
            skip_space(s), after = s->p < s->end ? *s->p++ : '\0';
        if (after != '=')
            return errorf(s->err, "attribute %s has no value", name);
        skip_space(s);
        if (s->p >= s->end || (*s->p != '"' && *s->p != '\''))
            return errorf(s->err, "attribute %s value not quoted", name);
        char quote = *s->p++;
        char *value = s->p, *close = memchr(s->p, quote, (size_t)(s->end - s->p));
        if (!close)
            return errorf(s->err, "unterminated attribute value");
        *close = '\0';
        s->p = close + 1;
        if (decode_entities(value, s->err) != 0)
            return -1;
        attrs[(*n)++] = (struct xml_attr){ name, value };
        if (s->p >= s->end)
            return errorf(s->err, "truncated tag");
        c = *s->p++;
        if (!is_space(c) && c != '>' && c != '/')
            return errorf(s->err, "attributes not separated");
    }
}

static int start_tag(struct scan *s)
{
    char after;
    char *name = read_name(s, &after);
    if (!name)
        return errorf(s->err, "malformed element name");
    struct xml_attr attrs[XML_MAX_ATTRS];
    int n;
    bool self_closing;
    if (read_attrs(s, after, attrs, &n, &self_closing) != 0)
        return -1;
    if (s->depth >= XML_MAX_DEPTH)
        return errorf(s->err, "elements nested deeper than %d", XML_MAX_DEPTH);
    s->stack[s->depth++] = name;
    s->elements++;
    if (s->h->start)
        s->h->start(s->h->ctx, name, attrs, n, s->depth);
    if (self_closing) {
        if (s->h->end)
            s->h->end(s->h->ctx, name, s->depth);
        s->depth--;
    }
    return 0;
}

static int end_tag(struct scan *s)
{
    char after;
    char *name = read_name(s, &after);
    if (!name)
        return errorf(s->err, "malformed end tag");
    if (is_space(after))
        skip_space(s), after = s->p < s->end ? *s->p++ : '\0';
    if (after != '>')
        return errorf(s->err, "malformed end tag </%s", name);
    if (s->depth == 0 || strcmp(s->stack[s->depth - 1], name) != 0)
        return errorf(s->err, "end tag </%s> does not match", name);
    if (s->h->end)
        s->h->end(s->h->ctx, name, s->depth);
    s->depth--;
    return 0;
}

static int scan_markup(struct scan *s)
{
    if (strncmp(s->p, "<!--", 4) == 0)
        return skip_past(s, "-->", "comment");
    if (strncmp(s->p, "<![CDATA[", 9) == 0)
        return skip_past(s, "]]>", "CDATA section");
    if (strncmp(s->p, "<?", 2) == 0)
        return skip_past(s, "?>", "processing instruction");
    if (strncmp(s->p, "<!", 2) == 0)
        return skip_past(s, ">", "declaration");
    s->p++;
    if (s->p < s->end && *s->p == '/') {
        s->p++;
        return end_tag(s);
    }
    return start_tag(s);
}

int xml_scan(const char *text, size_t len, const struct xml_handler *h, struct error *err)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return errorf(err, "out of memory reading XML");
    memcpy(copy, text, len);
    copy[len] = '\0';
    struct scan s = { .p = copy, .end = copy + strnlen(copy, len), .h = h, .err = err };
    int rc = 0;
    while (rc == 0 && s.p < s.end) {
        if (*s.p != '<') {
            s.p++;
            continue;
        }
        rc = scan_markup(&s);
    }
    if (rc == 0 && s.depth != 0)
        rc = errorf(err, "truncated XML: <%s> is not closed", s.stack[s.depth - 1]);
    if (rc == 0 && s.elements == 0)
        rc = errorf(err, "no XML element found");
    free(copy);
    return rc;
}

const char *xml_attr_get(const struct xml_attr *attrs, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(attrs[i].name, name) == 0)
            return attrs[i].value;
    return NULL;
}
