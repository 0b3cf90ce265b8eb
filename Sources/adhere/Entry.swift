import AdhereCommands
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `adhere` executable: everything lives in AdhereCommands so tests can call it. What is
/// process-wide is set here, once: files and folders adhere makes are its owner's only (they
/// are also created with owner-only modes, so the commands called in-process make the same).
@main
enum Entry {
    static func main() {
        umask(0o077)
        Adhere.main()
    }
}
