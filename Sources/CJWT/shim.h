// libjwt: parse, verify and sign JSON Web Tokens.
#include <jwt.h>
