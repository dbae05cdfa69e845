import Redis
import Testing

@Suite struct RedisScriptTests {
    /// Redis caches a script under the SHA-1 of its source; `SCRIPT LOAD "return 1"` answers this digest.
    @Test func digestIsTheSHA1OfTheSource() {
        #expect(RedisScript("return 1").sha1 == "e0e1f9fabfc9d4800c877a703b823ac0578ff8db")
        #expect(RedisScript("").sha1 == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(RedisScript("return 1").source == "return 1")
    }
}
