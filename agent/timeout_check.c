/* Does the agent's own timeout win the race against Pacemaker's? Pacemaker
 * times off with pcmk_off_timeout and reboot with pcmk_reboot_timeout
 * (even when pcmk_reboot_action=off makes the agent run off), each
 * falling back to stonith-timeout. When Pacemaker's timer fires first it
 * kills the agent and the record says "terminated" instead of "timeout".
 * Only values present in the input are judged: a timeout not given is not
 * guessed, so a correct device never gets a false warning. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "options.h"
#include "pcmk_interval.h"

/* One Pacemaker action's timer: its own pcmk_<action>_timeout, else
 * stonith-timeout; judged only when one of them was given. */
static void check_action(struct raw_options *raw, const struct agent_config *cfg,
                         const char *action, enum pcmk_key own)
{
    const char *name = own == PCMK_OFF_TIMEOUT ? "pcmk_off_timeout" : "pcmk_reboot_timeout";
    const char *text = raw->pcmk[own];
    if (!text) {
        name = "stonith-timeout";
        text = raw->pcmk[PCMK_STONITH_TIMEOUT];
    }
    /* The classic mistake: pcmk_off_timeout given, reboot left to the
     * cluster's stonith-timeout, whose default is 60 s. */
    enum pcmk_key other = own == PCMK_OFF_TIMEOUT ? PCMK_REBOOT_TIMEOUT : PCMK_OFF_TIMEOUT;
    if (!text && raw->pcmk[other]) {
        name = "stonith-timeout";   /* not given: Pacemaker's default */
        text = "60";
    }
    if (!text)
        return;
    int64_t pcmk_ms;
    if (!pcmk_interval_ms(text, &pcmk_ms)) {
        raw_options_note(raw, LOG_WARNING, "%s='%.40s' is not a Pacemaker interval; cannot compare it with fence_timeout",
                  name, text);
        return;
    }
    int64_t needed = cfg->delay_ms + cfg->fence_timeout_ms + RACE_MARGIN_MS;
    if (pcmk_ms >= needed)
        return;
    raw_options_note(raw, LOG_WARNING, "%s is timed by %s=%llds < delay+fence_timeout+5s=%llds: Pacemaker would kill "
              "the agent first (recorded as terminated); set %s>=%llds or lower fence_timeout",
              action, name, (long long)(pcmk_ms / 1000), (long long)((needed + 999) / 1000),
              own == PCMK_OFF_TIMEOUT ? "pcmk_off_timeout" : "pcmk_reboot_timeout",
              (long long)((needed + 999) / 1000));
}

void timeout_race_notes(struct raw_options *raw, const struct agent_config *cfg)
{
    check_action(raw, cfg, "off", PCMK_OFF_TIMEOUT);
    check_action(raw, cfg, "reboot", PCMK_REBOOT_TIMEOUT);
}
