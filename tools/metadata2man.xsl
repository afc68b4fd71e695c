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
<xsl:when test="@name = 'off'">Write a fence request and wait for the response; exit 0 only if it says success.</xsl:when>
<xsl:when test="@name = 'reboot'">Same as off: the reconciler detaches storage, it does not power-cycle.</xsl:when>
<xsl:when test="@name = 'on'">Unfence: record and remove the node's successful response files. Never writes a request.</xsl:when>
<xsl:when test="@name = 'status'">Exit 2 while the node has a successful response file (fenced), 0 otherwise, 1 if unknown.</xsl:when>
<xsl:when test="@name = 'list'">Print the configured target.</xsl:when>
<xsl:when test="@name = 'list-status'">Print the configured target and its status.</xsl:when>
<xsl:when test="@name = 'monitor'">Exit 0 if the directories are usable and the database can be written.</xsl:when>
<xsl:when test="@name = 'metadata'">Print this agent's metadata XML; touches no file.</xsl:when>
<xsl:when test="@name = 'validate-all'">Check the parameters and exit.</xsl:when>
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
A parameter given on the command line or on standard input overrides the
environment, which overrides the default:
.BR NNF_FENCE_REQUEST_DIR ,
.BR NNF_FENCE_RESPONSE_DIR ,
.BR LOG_DIR ,
.BR FENCE_LOG ,
.BR FENCE_RECORDER_DB ,
.BR FENCE_TIMEOUT ,
.BR FILESYSTEM_DISCOVERY_ENABLED .
An environment value that is out of range is ignored with a warning.
.SH FILES
.TP
.I /var/lib/fence\-recorder/fence\-recorder.db
the record (SQLite; see fencectl(8))
.TP
.I /var/log/fence\-recorder/fence\-events.log
.TQ
.I /var/log/fence\-recorder/fence\-events\-readable.log
.TQ
.I /var/log/fence\-recorder/fence\-events\-detailed.jsonl
the three event logs
.SH SEE ALSO
.BR fencectl (8),
.BR stonith_admin (8),
.BR pacemaker\-fenced (7),
.BR pcs (8)
</xsl:text>
</xsl:template>
</xsl:stylesheet>
