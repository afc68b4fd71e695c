/* Recording one alert: its cluster_events row (once however often it is
 * said) and its line in fence-events.log; for a member whose storage a
 * successful response file still fences, a CRITICAL line there and in
 * syslog (LOG_CRIT); for this node's own join, the fences it missed, from
 * the fencers' history. */
#ifndef FR_ALERT_RECORD_H
#define FR_ALERT_RECORD_H

#include "alert_event.h"
#include "config.h"

/* 0 recorded (or there already), -1 the database failed (said on stderr
 * and in syslog: the alert's facts stay in Pacemaker's own log). */
int alert_record(const struct alert_event *ev, const struct paths *paths, int db_timeout_ms);

#endif
