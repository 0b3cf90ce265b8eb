import AdhereCommands

/// The `adhere` executable: everything lives in AdhereCommands so tests can call it.
@main
enum Entry {
    static func main() { Adhere.main() }
}
