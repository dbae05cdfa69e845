// libargon2 (the reference implementation): argon2id password hashes in PHC string form.
#include <argon2.h>
