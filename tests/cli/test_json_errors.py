"""In JSON mode every failure, even a bad option, prints a calccli.error/1 object."""

import json

import pytest


@pytest.mark.parametrize("args, message", [
    (["taylor", "x", "--order", "13", "--json"], "Invalid value for '--order'"),
    (["grad", "x", "--bogus", "-f", "json"], "No such option: --bogus"),
    (["grad", "x", "--format=json", "--at"], "requires an argument"),
])
def test_bad_option_in_json_mode_gives_an_error_object(calc, args, message):
    r = calc(*args)
    assert r.exit_code == 2
    obj = json.loads(r.stdout)
    assert obj["schema"] == "calccli.error/1"
    assert obj["command"] == args[0]
    assert obj["input"] == {"argv": args}
    assert obj["error"]["code"] == 2 and obj["error"]["kind"] == "usage"
    assert message in obj["error"]["message"]
    assert r.stderr.startswith("calccli: error: ") and message in r.stderr


def test_bad_option_without_json_prints_nothing_on_stdout(calc):
    r = calc("grad", "x", "--bogus")
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr == "calccli: error: No such option: --bogus (see 'calccli grad --help')\n"
