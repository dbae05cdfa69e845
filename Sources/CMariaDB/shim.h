// MariaDB Connector/C: the MySQL client library (connections, prepared statements) behind ServiceKit's MySQL store.
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>
