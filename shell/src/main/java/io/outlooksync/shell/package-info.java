/** The admin shell: talks to a running sidecar through its admin API (see docs/architecture.md). */
package io.outlooksync.shell;
