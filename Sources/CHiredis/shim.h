// hiredis' reader and command formatter; the Redis module drives them over a NIO channel.
#include <hiredis/hiredis.h>
#include <hiredis/read.h>
