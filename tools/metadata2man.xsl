<?xml version="1.0"?>
<!-- fence_recorder(8) from the agent's own metadata (fence_recorder -o
     metadata), so the page lists exactly the parameters and actions the
     agent accepts. Sections the metadata cannot carry (exit status,
     environment, files) are fixed text here. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text"/>
<xsl:param name="version"/>
<xsl:param name="date"/>

<xsl:template name="roff">
  <xsl:param name="text"/>
  <xsl:choose>
    <xsl:when test="contains($text, '\')">
      <xsl:value-of select="substring-before($text, '\')"/><xsl:text>\e</xsl:text>
      <xsl:call-template name="roff"><xsl:with-param name="text" select="substring-after($text, '\')"/></xsl:call-template>
    </xsl:when>
    <xsl:when test="contains($text, '-')">
      <xsl:value-of select="substring-before($text, '-')"/><xsl:text>\-</xsl:text>
      <xsl:call-template name="roff"><xsl:with-param name="text" select="substring-after($text, '-')"/></xsl:call-template>
    </xsl:when>
    <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
  </xsl:choose>
</xsl:template>

<xsl:template match="/resource-agent">
<xsl:text>.\" Generated from "fence_recorder -o metadata" by tools/metadata2man.xsl; do not edit.
.TH FENCE_RECORDER 8 "</xsl:text><xsl:value-of select="$date"/>" "fence_recorder <xsl:value-of select="$version"/><xsl:text>" "System Administration"
.SH NAME
fence_recorder \- </xsl:text><xsl:value-of select="@shortdesc"/><xsl:text>
.SH SYNOPSIS
.B fence_recorder
[\fIOPTIONS\fR]
.br
.B fence_recorder
&lt; \fIkey=value lines\fR
.SH DESCRIPTION
</xsl:text><xsl:value-of select="normalize-space(longdesc)"/><xsl:text>
.PP
Pacemaker runs the agent with no arguments and passes the device's
parameters as key=value lines on standard input; an administrator may give
the same parameters as options.
.SH OPTIONS
</xsl:text>
<xsl:for-each select="parameters/parameter">
<xsl:text>.TP
.B </xsl:text><xsl:call-template name="roff"><xsl:with-param name="text" select="getopt/@mixed"/></xsl:call-template><xsl:text>
</xsl:text><xsl:value-of select="shortdesc"/>
<xsl:if test="content/@default"><xsl:text> (Default: </xsl:text><xsl:call-template name="roff"><xsl:with-param name="text" select="content/@default"/></xsl:call-template><xsl:text>)</xsl:text></xsl:if>
<xsl:if test="@deprecated = '1'"><xsl:text> (deprecated)</xsl:text></xsl:if>
<xsl:text>
</xsl:text>
</xsl:for-each>
<xsl:text>.SH ACTIONS
</xsl:text>
<xsl:for-each select="actions/action">
<xsl:text>.TP
.B </xsl:text><xsl:call-template name="roff"><xsl:with-param name="text" select="@name"/></xsl:call-template><xsl:text>
</xsl:text>
<xsl:choose>
<xsl:when test="@name = 'off'">Write a fence request and wait for the response; exit 0 only if it says success, 1 on a refusal, a malformed or mismatched response, a timeout (fence_timeout) or a signal. The request stays in place on a timeout and the response file stays: a successful response is the node's fenced state.</xsl:when>
<xsl:when test="@name = 'reboot'">Same as off: the reconciler detaches storage, it does not power-cycle, and re-attaching the storage right after would undo the fence while the node may still be writing. The node stays fenced until it is unfenced.</xsl:when>
<xsl:when test="@name = 'on'">Unfence: record each of the node's successful response files in the database, then remove it (nnf-sos then clears the node's fenced state); exit 1 if a file could not be recorded or removed. Never writes a request (nnf-sos fences on any request, whatever its action); a request still pending for the node is reported.</xsl:when>
<xsl:when test="@name = 'status'">Exit 2 while the node has a successful response file (fenced), 0 otherwise, 1 if unknown.</xsl:when>
<xsl:when test="@name = 'list'">Print the nodes this device fences, one per line: plug; else pcmk_host_list when it is on stdin; else every node of the cluster from crm_node -l (bounded by discovery_timeout). Exit 1, naming pcmk_host_list, if none can be found: Pacemaker fails a fence with "No such device" (105) on an empty answer.</xsl:when>
<xsl:when test="@name = 'list-status'">The same nodes as node,node,ON or node,node,OFF (fencing.py's port, alias and status, separated by separator), the status as status gives it; exit 1 if a status is unknown.</xsl:when>
<xsl:when test="@name = 'monitor'">Exit 0 if the directories are usable (a probe file in the request directory, without a sync) and the database is ours and writable (its header read with read(2), no SQLite); 1 with the reason on stderr. Warns, exit code unchanged, when the Pacemaker timeouts it is given are too short.</xsl:when>
<xsl:when test="@name = 'metadata'">Print this agent's metadata XML; touches no file (runs as hacluster).</xsl:when>
<xsl:when test="@name = 'manpage'">The metadata XML, as fencing.py prints it for man page tools.</xsl:when>
<xsl:when test="@name = 'validate-all'">Check every parameter and exit 0, or 1 naming what no fence could work with (for example the same directory for requests and responses, compared by identity, not spelling: R/, R/. and a symbolic link to R are R; directories not created yet are compared by their resolved path). Warns, exit code unchanged, when the Pacemaker timeouts it is given are too short.</xsl:when>
</xsl:choose>
<xsl:text>
</xsl:text>
</xsl:for-each>
<xsl:text>.SH STDIN PARAMETERS
</xsl:text>
<xsl:for-each select="parameters/parameter">
<xsl:text>.TP
.B </xsl:text><xsl:value-of select="@name"/><xsl:text>
</xsl:text><xsl:value-of select="shortdesc"/>
<xsl:if test="@required = '1'"><xsl:text> This parameter is always required.</xsl:text></xsl:if>
<xsl:if test="@obsoletes"><xsl:text> Replaces </xsl:text><xsl:value-of select="@obsoletes"/><xsl:text>.</xsl:text></xsl:if>
<xsl:text>
</xsl:text>
</xsl:for-each>
<xsl:text>.SH EXIT STATUS
.TP
.B 0
Success; for status, the node is on (not fenced).
.TP
.B 1
Failure: a failed, timed out or terminated fence, or bad parameters.
.TP
.B 2
status only: the node is off (fenced).
.SH ENVIRONMENT
Every option is a command\-line flag and the same\-named key=value line on
standard input (fencing.py's naming: the long option with _ for \-), so a
Pacemaker device attribute reaches the agent unchanged.
A parameter given on the command line or on standard input overrides the
environment, which overrides the default.
An invalid parameter is an error (exit 1); an invalid environment value is
reported and the default used, so a stray variable never blocks a fence.
.TP
.B NNF_FENCE_REQUEST_DIR
request_dir (nnf\-sos reads the same variable)
.TP
.B NNF_FENCE_RESPONSE_DIR
response_dir (nnf\-sos reads the same variable)
.TP
.B LOG_DIR
log_dir
.TP
.B FENCE_LOG
the name of the main log (default fence\-events.log)
.TP
.B FENCE_RECORDER_DB
db
.TP
.B FENCE_TIMEOUT
fence_timeout
.TP
.B POLL_INTERVAL
poll_interval
.TP
.B FENCE_RECORDER_DB_TIMEOUT
db_timeout: how often the recorder says, in fence\-events.log and syslog,
that it still waits for a locked database
.TP
.B FENCE_RECORDER_RECORD_PATIENCE
seconds the recorder waits for a locked database before it records to the
log files only (default 600)
.TP
.B FILESYSTEM_DISCOVERY_ENABLED
filesystem_discovery
.TP
.B DISCOVERY_TIMEOUT
discovery_timeout
.TP
.BR CRM_MON_PATH ", " CIBADMIN_PATH
crm_mon_path, cibadmin_path
.TP
.B FENCE_RECORDER_SYSLOG
syslog
.SH PROTOCOL
A request is \fInode\fR\-\fIuuid\fR.json in request_dir, written
atomically (a dot\-temp file, fsync, rename, fsync of the directory): a JSON
object with request_id, timestamp, action, target_node and recorder_node.
Files whose name starts with a dot are writes in progress.
The responder detaches the node's storage, then writes the response under
the same name in response_dir: the request's fields echoed, "success" as a
JSON boolean, and a message, written to a dot\-temp name and renamed into
place (in\-place writes are re\-read until they parse or the fence times
out). A successful response file means the node is fenced until it is
removed (the on action, or fencectl unfence); a responder never deletes
responses, and may delete the request after answering.
The agent waits with inotify, with dnotify past the inotify instance limit,
and re\-checks every poll_interval seconds for NFS.
A response is read only if it is a regular file of at most 1 MiB (opened
with O_NOFOLLOW|O_NONBLOCK); one that is not an object, gives success as
anything but a boolean, gives success, request_id or target_node twice, or
names another request or node fails the fence at once, saying why.
.PP
Node names are checked before any path is built: no /, \e, .., leading .
or \-, spaces or control characters, valid UTF\-8, at most 208 bytes (the
request's dot\-temp name adds 47 bytes and must fit in a file name of 255).
Node names are compared ignoring ASCII case, as Pacemaker's fencer does;
the request file keeps the spelling Pacemaker passed.
.SH RECORDING
For off, reboot and on (and a fence refused before its request) the agent
starts its recorder, /usr/lib/fence\-recorder/fr\-recorder, in a session of
its own before the request is published, and hands it each step; the
agent itself never opens the database or a log file, so its exit follows
the response alone. The recorder runs filesystem discovery (crm_mon
\-\-output\-as=xml, then cibadmin \-\-query \-\-scope resources, each
bounded by discovery_timeout) and reads the target's cluster state before
the request is published (the agent waits for that at most 2 s, only with
discovery on), then writes the database and the logs.
In a log line's filesystems, ["discovery\-pending"] is a placeholder
written while discovery still ran (the real result follows in a
discovered event and is what the database holds); ["none\-detected"]
means both methods found nothing; ["discovery\-disabled"] that discovery
was off.
.PP
A locked database is waited for up to FENCE_RECORDER_RECORD_PATIENCE;
a broken database or log directory leaves the fence's outcome unchanged
and is reported in fence\-events.log (when it can be written) and syslog;
monitor and fencectl check then fail.
.SH PACEMAKER TIMEOUTS
Pacemaker kills an agent that outlives its timer (SIGKILL), and the record
then says terminated instead of timeout. Which timer applies depends on the
action Pacemaker requests: off is timed by pcmk_off_timeout; reboot (the
default stonith\-action), even with pcmk_reboot_action=off, by
pcmk_reboot_timeout; on, monitor, status and list by
pcmk_\fIaction\fR_timeout; each falls back to the cluster property
stonith\-timeout (60 s). Set both pcmk_off_timeout and pcmk_reboot_timeout
to at least delay + fence_timeout + 5 seconds.
Pacemaker 2.1 strips the pcmk_* attributes before running the agent, so
validate\-all and monitor can warn only when they are given by hand;
fencectl check reads them from the CIB.
.PP
Pacemaker retries a failed fence at two levels: the fencer runs the agent
again up to pcmk_\fIaction\fR_retries times (default 2) within what is
left of the same timeout, and the controller retries the whole fence up to
stonith\-max\-attempts times (default 10). Set pcmk_off_retries=1 and
pcmk_reboot_retries=1; the worst case for one fence decision is
stonith\-max\-attempts \(mu pcmk_\fIaction\fR_retries \(mu (delay +
fence_timeout).
.SH COMPATIBILITY
Like every fencing.py agent, fence_recorder accepts fencing.py's standard
options. Honoured: separator (list\-status), debug_file (a copy of every
stderr line; with verbose, the debug lines too; debug is its old name) and
verbose_level. Accepted and ignored, because there is no power switch,
shell or login here: power_timeout, power_wait, shell_timeout,
login_timeout, disable_timeout (fence_timeout always applies),
stonith_status_sleep, retry_on, plug_separator (one request fences one
node), missing_as_off; with verbose the agent logs "accepted but ignored"
naming them.
.SH FILES
.TP
.I /var/lib/fence\-recorder/fence\-recorder.db
the record (SQLite, WAL; mode 0600, its directory 0700; see
.BR fencectl (8)
for its tables); \fIfence\-recorder.db\-queue\fR (0600) beside it is
where writers queue for the write lock (flock)
.TP
.I /var/log/fence\-recorder/fence\-events.log
.TQ
.I /var/log/fence\-recorder/fence\-events\-readable.log
.TQ
.I /var/log/fence\-recorder/fence\-events\-detailed.jsonl
the three event logs (0640, the directory 0755: logs name nodes and
storage; group adm may read), one line per event, each appended with a
single write(2): a [time] [LEVEL] message line; an ACTION= TARGET=
FILESYSTEMS= STATUS= DETAILS= line; and a JSON object with the Python
agent's keys and formatting (timestamp, action, target_node, status,
details, recorder_node, pacemaker_action) plus filesystems and request_id. Event statuses: requested, discovered,
completed, failed, timeout, terminated, unfenced, unfence\-failed.
Each event also goes to syslog (ident fence_recorder, facility daemon)
unless syslog=false.
.TP
.I /localdisk/fence\-recorder/requests
.TQ
.I /localdisk/fence\-recorder/responses
request_dir and response_dir (0755 if created; request files 0644, since
nnf\-sos may run as another user)
.TP
.I /usr/lib/fence\-recorder/fr\-recorder
the recorder
.PP
Nothing the agent or its recorder writes follows a symbolic link (O_EXCL,
O_NOFOLLOW); a log file with a second hard link, or a log directory that
is a symbolic link, is refused and not written through.
.SH SEE ALSO
.BR fencectl (8),
.BR stonith_admin (8),
.BR pacemaker\-fenced (7),
.BR pcs (8)
</xsl:text>
</xsl:template>
</xsl:stylesheet>
