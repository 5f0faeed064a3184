/* bcryptprimitives.dll for testing under Wine only (never shipped): Rust
 * extensions (rpds, which jsonschema needs) import ProcessPrng, which Windows
 * 10 and 11 have and Wine 8 does not. It fills the buffer from RtlGenRandom
 * (advapi32's SystemFunction036), the same system generator. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x7fffffff ? 0x7fffffff : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
