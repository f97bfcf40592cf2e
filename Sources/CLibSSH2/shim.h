#ifndef LABCTL_CLIBSSH2_SHIM_H
#define LABCTL_CLIBSSH2_SHIM_H
#include <libssh2.h>
#endif
