#!/bin/sh
# The fence record's alert agent, configured once for the whole cluster
# (any one node): every node then records every fence (any device, any
# executing node) and every membership change in its own record.
# The README gives the same with crmsh and cibadmin.
pcs alert create path=/usr/lib/fence-recorder/fence-recorder-alert id=fence-recorder
