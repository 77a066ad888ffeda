import Foundation
import KitCommandLine
import Testing

@testable import kit

@Suite("Command line · parsing, help, suggestions")
struct CommandLineTests {
    static let example = CommandDeclaration(
        name: "example", summary: "An example.", positionals: "<stage>",
        options: [
            Option("count", .integer, help: "how many"),
            Option("rate", .number, help: "how fast", default: "0.5"),
            Option("name", .text, help: "a name"),
            Option("out", .path, "DIR", help: "where"),
            Option("model", .choice(["mlp", "lenet"]), help: "the network"),
            Option("range", .range, help: "indices"),
            Option("mirror", .text, "URL", help: "a mirror", repeatable: true),
            .flag("json", help: "JSON"),
        ])

    func usageError(_ words: [String]) -> String? {
        do {
            _ = try Self.example.parse(words)
            return nil
        } catch {
            return (error as? UsageError)?.message ?? "not a usage error: \(error)"
        }
    }

    @Test("each value type is parsed, with --name value and --name=value")
    func valueTypes() throws {
        let arguments = try Self.example.parse([
            "3", "--count", "7", "--rate=0.25", "--name", "x y", "--out", "runs", "--model", "lenet",
            "--range", "0:8000", "--mirror", "a", "--mirror", "b", "--json",
        ])
        #expect(arguments.positionals == ["3"])
        #expect(arguments.integer("count") == 7)
        #expect(arguments.number("rate") == 0.25)
        #expect(arguments.string("name") == "x y")
        #expect(arguments.string("out") == "runs")
        #expect(arguments.string("model") == "lenet")
        #expect(try arguments.range("range") == 0..<8000)
        #expect(try Self.example.parse(["--range", "5..<9"]).range("range") == 5..<9)
        #expect(arguments.strings("mirror") == ["a", "b"])
        #expect(arguments.flag("json") && !arguments.flag("count"))
        #expect(try Self.example.parse([]).integer("count") == nil)
    }

    @Test("a wrong type, a missing value, an unknown option or an extra word is a usage error that says which")
    func mistakes() {
        #expect(usageError(["--count", "many"]) == "--count many: not a whole number")
        #expect(usageError(["--rate", "fast"]) == "--rate fast: not a number")
        #expect(usageError(["--model", "lenett"]) == "--model lenett: use one of mlp, lenet (did you mean \"lenet\"?)")
        #expect(usageError(["--range", "9:3"])?.hasPrefix("--range 9:3: write the indices as START:END") == true)
        #expect(usageError(["--count"]) == "--count needs a value: --count N")
        #expect(usageError(["--json=yes"]) == "--json takes no value")
        let unknown = usageError(["--frobnicate"]) ?? ""
        #expect(unknown.hasPrefix("there is no option --frobnicate (it takes --count, --rate"), "\(unknown)")
        #expect(usageError(["1", "2"]) == "unexpected \"2\"")
        #expect(usageError(["--count", "-3"]) == nil, "a negative number is a value, not an option")
    }

    @Test("did you mean: the nearest option, command or choice, and none when nothing is near")
    func suggestions() {
        #expect(usageError(["--jsn"]) == "there is no option --jsn: did you mean --json?")
        #expect(Command.unknown("chek").message == "unknown command \"chek\": did you mean `check`?")
        #expect(Command.unknown("stauts").message.hasSuffix("did you mean `status`?"))
        #expect(Command.unknown("frobnicate").message == "unknown command \"frobnicate\"")
        #expect(Suggestion.editDistance("check", "chcek") == 1)
        #expect(Suggestion.closest(to: "x", among: ["train", "bench"]) == nil)
    }

    @Test("kit's exit statuses: 2 for a usage mistake, 0 for help")
    func exitStatuses() {
        #expect(kitMain(["chek", "1"]) == ExitStatus.usage)
        #expect(kitMain(["train", "--epoch", "2"]) == ExitStatus.usage)
        #expect(kitMain(["train", "--model", "resnet"]) == ExitStatus.usage)
        #expect(kitMain(["help", "train"]) == ExitStatus.success)
        #expect(kitMain(["train", "--help"]) == ExitStatus.success)
        #expect([ExitStatus.success, ExitStatus.failure, ExitStatus.usage] == [0, 1, 2])
    }

    @Test("every command's generated help lists each of its options once, with its help")
    func helpListsEachOptionOnce() {
        for command in Command.all {
            let help = command.help
            #expect(help.hasPrefix("Usage: \(command.declaration.usage)\n"), "\(command.name)")
            for option in command.declaration.options {
                let lines = help.split(separator: "\n").filter { $0.hasPrefix("  " + option.synopsis + " ") }
                #expect(lines.count == 1, "kit help \(command.name): --\(option.name) is listed \(lines.count) times")
            }
            #expect(
                Set(command.declaration.options.map(\.name)).count == command.declaration.options.count,
                "\(command.name) declares an option twice")
        }
    }

    @Test("kit's forwarded commands are kit-demos' declarations; --model lists the models kit-demos trains")
    func forwardedDeclarations() throws {
        for declaration in CommandDeclaration.forwarded {
            let command = try #require(Command.all.first { $0.name == declaration.name })
            #expect(command.help == declaration.help)
        }
        let model = try #require(CommandDeclaration.train.options.first { $0.name == "model" })
        #expect(model.value == .choice(["mlp", "lenet"]))
        #expect(CommandDeclaration.train.help.contains("lenet") && !CommandDeclaration.train.help.contains("only mlp"))
    }

    @Test("forwarded words keep each option once, in declared order, with paths made absolute")
    func forwardedWords() throws {
        let train = CommandDeclaration.train
        let arguments = try train.parse(["--output=pictures", "--epochs", "2", "--json", "--data-dir", "../data"])
        #expect(
            train.words(for: arguments, relativeTo: "/home/s/kit")
                == ["--data-dir", "/home/s/data", "--epochs", "2", "--output", "/home/s/kit/pictures", "--json"])
        #expect(try train.parse(train.words(for: arguments, relativeTo: "/k")).flag("json"))
        #expect(absolutePath("/abs", from: "/k") == "/abs" && absolutePath("./a/../b", from: "/k") == "/k/b")
    }

    @Test("--data-dir is a typed option: it beats NEURALKIT_DATA")
    func dataDirectory() throws {
        let arguments = try CommandDeclaration.train.parse(["--data-dir", "/datasets"])
        #expect(arguments.dataDirectory.path == "/datasets" && arguments.dataDirectory.source == .option)
        #expect(
            try Command.data.declaration.parse(["mnist", "--data-dir=/d", "--mirror", "u"]).dataDirectory.path == "/d")
    }
}
