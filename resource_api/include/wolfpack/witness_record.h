/*
 * Wolfpack's witness record: what the cluster service keeps on its quorum witness so that a
 * node whose database is old cannot form the cluster with the witness alone ("partition in
 * time", docs/semantics.md, "Witness"). The record's bytes are the service's (a JSON object);
 * a quorum-capable type only stores them, and only while it holds the witness.
 *
 * GET: no input; the record's bytes in the output buffer (0 bytes when none was written),
 *   ERROR_MORE_DATA with the size needed in *BytesReturned when the buffer is too small.
 * SET: the record's bytes as input (at most WP_WITNESS_RECORD_MAX); ERROR_SUCCESS once they
 *   are stored, ERROR_SHARING_VIOLATION when this node does not hold the witness.
 * A type that answers ERROR_INVALID_FUNCTION keeps no record; the service then warns that it
 * cannot prevent a partition in time.
 */
#ifndef WOLFPACK_WITNESS_RECORD_H
#define WOLFPACK_WITNESS_RECORD_H

#include "wolfpack/clusapi.h"

#define CLUSCTL_RESOURCE_WP_GET_WITNESS_RECORD CLUSCTL_USER_CODE(0x200, CLUS_OBJECT_RESOURCE)
#define CLUSCTL_RESOURCE_WP_SET_WITNESS_RECORD CLUSCTL_USER_CODE(0x201, CLUS_OBJECT_RESOURCE)
#define WP_WITNESS_RECORD_MAX 4096

#endif
