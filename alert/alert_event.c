#include "alert_event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool copy_env(char *dst, size_t size, const char *name)
{
    const char *v = getenv(name);
    dst[0] = '\0';
    if (!v)
        return false;
    /* Control characters never reach the record or its logs. */
    size_t i = 0;
    for (; v[i] && i + 1 < size; i++)
        dst[i] = (unsigned char)v[i] < 0x20 || v[i] == 0x7f ? '?' : v[i];
    dst[i] = '\0';
    return true;
}

/* Copies from..to (exclusive) into dst, false when it does not fit or is empty. */
static bool take(char *dst, size_t size, const char *from, const char *to)
{
    size_t n = (size_t)(to - from);
    if (!n || n >= size)
        return false;
    memcpy(dst, from, n);
    dst[n] = '\0';
    return true;
}

bool alert_parse_fencing_desc(const char *d, struct alert_event *ev)
{
    /* Operation <action> of <target> by <executor> for <client>@<origin>: <result> (ref=<id>) */
    char action[32], target[NODE_NAME_MAX + 1];
    const char *p = d, *q;
    if (strncmp(p, "Operation ", 10) != 0)
        return false;
    p += 10;
    if (!(q = strstr(p, " of ")) || !take(action, sizeof action, p, q))
        return false;
    p = q + 4;
    if (!(q = strstr(p, " by ")) || !take(target, sizeof target, p, q))
        return false;
    p = q + 4;
    if (!(q = strstr(p, " for ")) || !take(ev->executor, sizeof ev->executor, p, q))
        return false;
    p = q + 5;
    const char *colon = strstr(p, ": ");
    const char *at = colon ? memrchr(p, '@', (size_t)(colon - p)) : NULL;
    if (!at || !take(ev->client, sizeof ev->client, p, at) ||
        !take(ev->origin, sizeof ev->origin, at + 1, colon))
        return false;
    p = colon + 2;
    const char *ref = strstr(p, " (ref=");
    const char *end = ref ? strchr(ref, ')') : NULL;
    if (!ref || !end || end[1] != '\0' || !take(ev->result, sizeof ev->result, p, ref) ||
        !take(ev->ref, sizeof ev->ref, ref + 6, end))
        return false;
    /* The description's action is the fence's (reboot, off, on);
     * CRM_alert_task says st_notify_fence for every fencing alert. */
    snprintf(ev->action, sizeof ev->action, "%s", action);
    return true;
}

static void clear_parts(struct alert_event *ev)
{
    ev->executor[0] = ev->client[0] = ev->origin[0] = ev->result[0] = ev->ref[0] = '\0';
}

/* Pacemaker's own time of the event (CRM_alert_timestamp_epoch and
 * _usec); the time it is read here when they are missing or malformed. */
static void event_time(struct alert_event *ev)
{
    const char *epoch = getenv("CRM_alert_timestamp_epoch");
    const char *usec = getenv("CRM_alert_timestamp_usec");
    char *end;
    long long s = epoch ? strtoll(epoch, &end, 10) : -1;
    if (epoch && *end == '\0' && s > 0) {
        long long us = usec ? strtoll(usec, &end, 10) : 0;
        if (!usec || *end != '\0' || us < 0 || us > 999999)
            us = 0;
        struct timespec ts = { .tv_sec = (time_t)s, .tv_nsec = (long)us * 1000 };
        stamp_from_timespec(&ev->at, ts);
        ev->at_from_pacemaker = true;
        return;
    }
    stamp_now(&ev->at);
    ev->at_from_pacemaker = false;
}

int alert_event_from_env(struct alert_event *ev, struct error *err)
{
    memset(ev, 0, sizeof *ev);
    char kind[32];
    copy_env(kind, sizeof kind, "CRM_alert_kind");
    ev->kind = strcmp(kind, "fencing") == 0 ? ALERT_FENCING
             : strcmp(kind, "node") == 0 ? ALERT_NODE : ALERT_OTHER;
    if (ev->kind == ALERT_OTHER)
        return 0;
    if (!copy_env(ev->node, sizeof ev->node, "CRM_alert_node") || !ev->node[0])
        return errorf(err, "a %s alert without CRM_alert_node", kind);
    if (!copy_env(ev->description, sizeof ev->description, "CRM_alert_desc") || !ev->description[0])
        return errorf(err, "a %s alert about %s without CRM_alert_desc", kind, ev->node);
    event_time(ev);
    if (ev->kind == ALERT_NODE) {
        copy_env(ev->node_id, sizeof ev->node_id, "CRM_alert_nodeid");
        return 0;
    }
    copy_env(ev->action, sizeof ev->action, "CRM_alert_task");
    char rc[32];
    ev->rc = copy_env(rc, sizeof rc, "CRM_alert_rc") ? atoi(rc) : -1;
    if (!alert_parse_fencing_desc(ev->description, ev))
        clear_parts(ev);   /* kept as given; merged by target and time alone */
    return 0;
}
