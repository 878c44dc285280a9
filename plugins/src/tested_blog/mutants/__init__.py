"""Mutation testing of the shown code: does a test *check* each line, not only run it?

A mutant is a copy of a snippet file with one small change inside a shown section: an
operator swapped (``+`` for ``-``, ``<`` for ``<=``), a number moved by one, a condition
negated, a loop made to run zero times. The tests that the provenance record knows run the
section are run against each mutant; a mutant that makes one of them fail (or crash, or run
past its time limit) is *caught*, one under which they all pass is a *survivor*: some line
of the section could be wrong and the tests would not notice.

* ``operators``: which changes are made (cosmic-ray's mutation operators, plus one for
  augmented assignments);
* ``generate``: the mutants of a section's lines, and the mutated source of one;
* ``marks``: the author's note on a line that a surviving mutant is *equivalent* (it
  cannot change any result);
* ``runner``: runs the tests against many mutants, each in a forked process;
* ``update``: fills the provenance record's ``mutants`` entry of every section whose text,
  tests or inputs changed since it was last computed (``python -m tested_blog.mutants``,
  which the pytest plugin starts after it writes the record).
"""
