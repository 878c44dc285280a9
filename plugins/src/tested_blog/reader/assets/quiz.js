/* Quiz mode for question-and-answer posts (the HTML comes from tested_blog/quiz.py).

   Each question (section.quiz-question, keyed by the id in the post's source) gets two
   toggle buttons under its answer, "Knew it" and "Review"; the marks are kept in this
   browser's localStorage, one entry per post, and never leave it. The bar at the top of
   the post counts known / review / not yet, filters the questions (all or still to
   review; by difficulty) and opens or closes every answer. The bar comes complete with
   the page (tested_blog/quiz.py), so nothing moves when this script wires it up; without
   JavaScript it is hidden (a <noscript> style of tested_blog/reader) and the answers are simply folded. */
(function () {
  "use strict";

  var STORE = "ml-interview-qa/quiz/v1/";
  var MARKS = { known: "Knew it", review: "Review" };
  var LEVELS = ["easy", "medium", "hard"];

  function load(key) {
    try {
      var data = JSON.parse(window.localStorage.getItem(STORE + key) || "{}");
      return data && typeof data.marks === "object" && data.marks ? data : { marks: {} };
    } catch (error) {
      return { marks: {} }; // storage blocked or damaged: start afresh, never break the page
    }
  }

  function save(key, data) {
    try {
      window.localStorage.setItem(STORE + key, JSON.stringify(data));
    } catch (error) {
      /* storage full or blocked: the marks last until the page is left */
    }
  }

  function element(tag, attrs, text) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { el.setAttribute(name, attrs[name]); });
    if (text) el.textContent = text;
    return el;
  }

  function setUp(bar) {
    if (bar.dataset.ready) return;
    bar.dataset.ready = "true";
    var key = bar.dataset.quizKey;
    var data = load(key);
    var root = bar.parentNode;
    var questions = Array.prototype.slice.call(root.querySelectorAll("section.quiz-question"));
    var show = data.show === "review" ? "review" : "all";
    var levels = Array.isArray(data.levels) ? data.levels.filter(function (l) {
      return LEVELS.indexOf(l) >= 0;
    }) : LEVELS.slice();

    function markOf(section) {
      var mark = data.marks[section.dataset.quizId];
      return mark === "known" || mark === "review" ? mark : null;
    }

    function persist() {
      data.show = show;
      data.levels = levels;
      save(key, data);
    }

    /* ---- the bar (its markup comes with the page: tested_blog/quiz.py) ---- */
    var progress = bar.querySelector(".quiz-progress");
    var meterKnown = bar.querySelector(".quiz-meter__known");
    var meterReview = bar.querySelector(".quiz-meter__review");
    var shown = bar.querySelector(".quiz-shown");

    bar.querySelectorAll(".quiz-filter--show input").forEach(function (input) {
      input.checked = show === input.value;
      input.addEventListener("change", function () {
        if (input.checked) { show = input.value; persist(); refresh(); }
      });
    });

    var levelBoxes = bar.querySelectorAll(".quiz-filter--levels input");
    levelBoxes.forEach(function (input) {
      input.checked = levels.indexOf(input.value) >= 0;
      input.addEventListener("change", function () {
        levels = LEVELS.filter(function (l) {
          var box = bar.querySelector('.quiz-filter--levels input[value="' + l + '"]');
          return box ? box.checked : levels.indexOf(l) >= 0;
        });
        persist();
        refresh();
      });
    });

    function answers() {
      return questions.map(function (q) { return q.querySelector(":scope > details"); })
        .filter(Boolean);
    }
    var actions = {
      open: function () { answers().forEach(function (d) { d.open = true; }); },
      close: function () { answers().forEach(function (d) { d.open = false; }); },
      clear: function () {
        if (!window.confirm("Clear your marks for every question of this post?")) return;
        data.marks = {};
        persist();
        questions.forEach(paint);
        refresh();
      }
    };
    bar.querySelectorAll("button[data-quiz-action]").forEach(function (button) {
      button.addEventListener("click", actions[button.dataset.quizAction]);
    });

    /* ---- each question ---- */
    function paint(section) {
      var mark = markOf(section);
      section.dataset.mark = mark || "none";
      section.querySelectorAll(".quiz-mark__button").forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.value === mark));
      });
      var state = section.querySelector(".quiz-state");
      if (state) {
        state.textContent = mark ? MARKS[mark] : "";
        state.hidden = !mark;
      }
    }

    function visible(section) {
      return levels.indexOf(section.dataset.difficulty) >= 0 &&
        (show === "all" || markOf(section) !== "known");
    }

    questions.forEach(function (section, index) {
      var details = section.querySelector(":scope > details");
      if (!details) return;
      var summary = details.querySelector(":scope > summary");
      var title = section.dataset.quizTitle || "question " + (index + 1);
      if (summary) {
        summary.appendChild(element("span", { class: "quiz-state", hidden: "" }));
      }
      var group = element("div", { class: "quiz-mark", role: "group",
        "aria-label": "Your mark for: " + title });
      group.appendChild(element("span", { class: "quiz-mark__prompt", "aria-hidden": "true" },
        "Did you know it?"));
      Object.keys(MARKS).forEach(function (mark) {
        var button = element("button", { type: "button", value: mark,
          class: "quiz-mark__button quiz-mark__button--" + mark, "aria-pressed": "false" },
          MARKS[mark]);
        button.addEventListener("click", function () {
          var was = markOf(section);
          if (was === mark) delete data.marks[section.dataset.quizId];
          else data.marks[section.dataset.quizId] = mark;
          persist();
          paint(section);
          if (!visible(section)) {
            // marked as known while only the questions to review show: move on to the next
            var next = questions.slice(index + 1).concat(questions.slice(0, index))
              .filter(visible)[0];
            refresh();
            var target = next ? next.querySelector(":scope > details > summary") : bar;
            if (!next) bar.setAttribute("tabindex", "-1");
            target.focus();
          } else {
            refresh();
          }
        });
        group.appendChild(button);
      });
      details.appendChild(group);
      paint(section);
    });

    /* ---- filter and counts ---- */
    function refresh() {
      var known = 0, review = 0, visibleCount = 0;
      questions.forEach(function (section) {
        var mark = markOf(section);
        if (mark === "known") known += 1;
        if (mark === "review") review += 1;
        var on = visible(section);
        section.hidden = !on;
        document.querySelectorAll('.md-nav__link[href="#' + section.dataset.quizId + '"]')
          .forEach(function (link) { link.classList.toggle("quiz-toc--hidden", !on); });
        if (on) visibleCount += 1;
      });
      var total = questions.length;
      var notYet = total - known - review;
      progress.textContent = "Known " + known + " · Review " + review + " · Not yet " + notYet +
        " — of " + total + " questions";
      progress.dataset.known = known;
      progress.dataset.review = review;
      progress.dataset.notYet = notYet;
      meterKnown.style.width = (100 * known / total) + "%";
      meterReview.style.width = (100 * review / total) + "%";
      shown.textContent = visibleCount === total ? "Showing all " + total + " questions." :
        visibleCount === 0 ? "No question matches these filters." :
        "Showing " + visibleCount + " of " + total + " questions.";
    }
    refresh();
  }

  function start() {
    document.querySelectorAll(".quiz-bar[data-quiz-key]").forEach(setUp);
  }

  // Material's document$ emits on the first load and after each instant navigation.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
