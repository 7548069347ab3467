/*
 * "When can I reach support?" box on the support pages: is support open right now?
 *
 * The box (kb_builder/families/support/pages.py) states each plan's hours as static text, which is
 * right with scripts off. This script reads the hours and the vendor's time zone from the box's
 * data-kb-support-hours attribute, turns the visitor's clock into the vendor's weekday and time
 * (Intl.DateTimeFormat with timeZone, so daylight saving time is the browser's business), and
 * says whether support is open now and which channel each plan uses right now. It also fills
 * the box's routes block: for each plan and ticket type, the links (mailto:, tel:, https:) that
 * apply at this moment (routeNow), and exposes those rules as window.kbSupport for the ticket
 * form (support-ticket.js).
 * No library, no network request; a failure leaves the static text as it is.
 */
(function () {
  "use strict";

  const WEEKDAYS = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
  const REFRESH_MS = 60 * 1000;

  /* The vendor's ISO weekday (Monday = 1) and minutes after midnight at `now`. */
  function vendorClock(now, timeZone) {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone: timeZone,
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(now);
    const value = (type) => parts.find((part) => part.type === type).value;
    const hour = parseInt(value("hour"), 10) % 24;
    return { day: WEEKDAYS[value("weekday")], minutes: hour * 60 + parseInt(value("minute"), 10) };
  }

  function isOpen(schedule, clock) {
    return (
      schedule.days.indexOf(clock.day) !== -1 &&
      clock.minutes >= schedule.open &&
      clock.minutes < schedule.close
    );
  }

  /* The next time one of `schedules` opens after `clock`: {offset (days), day, schedule}. */
  function nextOpening(schedules, clock) {
    for (let offset = 0; offset <= 7; offset += 1) {
      const day = ((clock.day - 1 + offset) % 7) + 1;
      const opening = schedules
        .filter((s) => s.days.indexOf(day) !== -1 && (offset > 0 || s.open > clock.minutes))
        .sort((a, b) => a.open - b.open)[0];
      if (opening) {
        return { offset: offset, day: day, schedule: opening };
      }
    }
    return null;
  }

  function joinWords(words, conjunction) {
    if (words.length <= 1) {
      return words.join("");
    }
    return words.slice(0, -1).join(", ") + " " + conjunction + " " + words[words.length - 1];
  }

  /* Minutes after midnight as the pages word them: "9 a.m.", "5:30 p.m.", "noon", "midnight"
   * (the same rules as describe_clock in kb_builder/families/support/hours.py). */
  function clockLabel(minutes) {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    if (rest === 0 && (hours === 0 || hours === 24)) {
      return "midnight";
    }
    if (rest === 0 && hours === 12) {
      return "noon";
    }
    const suffix = hours < 12 ? "a.m." : "p.m.";
    const hour = hours % 12 || 12;
    return (rest ? hour + ":" + String(rest).padStart(2, "0") : String(hour)) + " " + suffix;
  }

  function upfirst(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function dayLabel(config, opening) {
    if (opening.offset === 0) {
      return "today";
    }
    return opening.offset === 1 ? "tomorrow" : config.dayNames[opening.day - 1];
  }

  /* One plan's line: {open, text}, the channels open now or the after-hours route. */
  function planStatus(config, plan, clock) {
    const schedules = plan.channels.map((channel) => config.schedules[channel.schedule]);
    const open = plan.channels.filter((channel, i) => isOpen(schedules[i], clock));
    if (open.length > 0) {
      const closing = config.schedules[open[0].schedule].closeLabel;
      const names = joinWords(open.map((channel) => channel.name), "or");
      return {
        open: true,
        text: "Open now, until " + closing + " " + config.zoneLabel + ": use " + names + ".",
      };
    }
    const after = config.afterHours;
    let text = "Closed now.";
    if (plan.afterHours && !isOpen(config.schedules[config.business], clock)) {
      text += " For " + after.ticketTypes + ": " + after.channel + ", answered by " +
        after.staffedBy + ".";
    }
    if (plan.channels.length > 0) {
      text += " Other requests: " + plan.channels[0].name + ", " + after.otherRequests + ".";
    }
    const opening = nextOpening(schedules, clock);
    if (opening) {
      text += " Opens " + dayLabel(config, opening) + " at " + opening.schedule.openLabel + " " +
        config.zoneLabel + ".";
    }
    return { open: false, text: text };
  }

  /* ---------- contact routes (kb_builder/support/routes.py states the same rules) ---------- */

  const KIND_NAMES = { email: "E-mail", phone: "Call", portal: "Help desk" };

  /* The address a link should open for `ticket`: an e-mail gets the ticket's subject format and
   * a body asking for what a good ticket includes (`extra` text first, e.g. the problem). */
  function linkFor(link, ticket, subject, extra) {
    if (link.kind !== "email") {
      return link.href;
    }
    const query = [];
    const title = subject || ticket.subject;
    if (title) {
      query.push("subject=" + encodeURIComponent(title));
    }
    const body = (extra ? extra + "\n\n" : "") + (ticket.body || "");
    if (body) {
      query.push("body=" + encodeURIComponent(body));
    }
    return link.href + (query.length ? "?" + query.join("&") : "");
  }

  /* The route for one plan and ticket type at `clock`: {kind, links, note}.
   * kind is "open" (a channel's hours are open), "after-hours" (the on-call channel) or "wait"
   * (a written request, answered later); a telephone is offered only while it is open. */
  function routeNow(config, planId, ticketId, clock) {
    const contact = config.contact;
    const plan = contact.plans.find((p) => p.id === planId);
    const route = plan && plan.tickets.find((t) => t.id === ticketId);
    if (!route) {
      return null;
    }
    const open = route.offers.filter((offer) => isOpen(config.schedules[offer.schedule], clock));
    if (open.length > 0) {
      return {
        kind: "open",
        links: [].concat(...open.map((offer) => offer.links)),
        note: "open until " + config.schedules[open[0].schedule].closeLabel + " " +
          config.zoneLabel,
      };
    }
    if (route.afterHours && !isOpen(config.schedules[config.business], clock)) {
      return {
        kind: "after-hours",
        links: contact.afterHours.links,
        note: contact.afterHours.name + ", answered by " + config.afterHours.staffedBy,
      };
    }
    const seen = {};
    const written = [];
    route.offers.forEach((offer) => {
      offer.links.forEach((link) => {
        if (link.kind !== "phone" && !seen[link.href]) {
          seen[link.href] = true;
          written.push(link);
        }
      });
    });
    return { kind: "wait", links: written, note: contact.otherRequests };
  }

  /* Links as DOM nodes (text only, never markup from data). */
  function linkNodes(links, ticket, subject, extra) {
    const fragment = document.createDocumentFragment();
    links.forEach((link, i) => {
      if (i > 0) {
        fragment.appendChild(document.createTextNode(" · "));
      }
      const a = document.createElement("a");
      a.href = linkFor(link, ticket, subject, extra);
      a.textContent = KIND_NAMES[link.kind] + ": " + link.label;
      a.setAttribute("data-kb-route-link", link.kind);
      fragment.appendChild(a);
    });
    return fragment;
  }

  function ticketsInOrder(config) {
    // Urgent ticket types first: the critical path comes before the rest.
    const tickets = config.contact.tickets.slice();
    return tickets.filter((t) => t.urgent).concat(tickets.filter((t) => !t.urgent));
  }

  /* The box's routes block: for each plan and ticket type, the links that apply now. */
  function fillRoutes(box, config, clock) {
    const block = box.querySelector("[data-kb-support-routes]");
    if (!block || !config.contact) {
      return;
    }
    block.textContent = "";
    const title = document.createElement("p");
    title.className = "kb-support-routes__title";
    title.textContent = "Who to contact right now:";
    block.appendChild(title);
    config.contact.plans.forEach((plan) => {
      const group = document.createElement("div");
      group.className = "kb-support-routes__plan";
      group.setAttribute("data-kb-route-plan", plan.id);
      const name = document.createElement("p");
      const strong = document.createElement("strong");
      strong.textContent = plan.name;
      name.appendChild(strong);
      group.appendChild(name);
      const list = document.createElement("ul");
      ticketsInOrder(config).forEach((ticket) => {
        const route = routeNow(config, plan.id, ticket.id, clock);
        if (!route) {
          return;
        }
        const item = document.createElement("li");
        item.setAttribute("data-kb-route", plan.id + ":" + ticket.id);
        item.setAttribute("data-kb-route-kind", route.kind);
        if (ticket.urgent) {
          item.className = "kb-support-routes__urgent";
        }
        item.appendChild(document.createTextNode(upfirst(ticket.name) + " (" + route.note + "): "));
        item.appendChild(linkNodes(route.links, ticket));
        list.appendChild(item);
      });
      group.appendChild(list);
      block.appendChild(group);
    });
    block.hidden = false;
  }

  // For the ticket form (support-ticket.js): the same clock and rules.
  window.kbSupport = {
    vendorClock: vendorClock,
    routeNow: routeNow,
    linkFor: linkFor,
    linkNodes: linkNodes,
    clockLabel: clockLabel,
    KIND_NAMES: KIND_NAMES,
  };

  function update(box, now) {
    const config = JSON.parse(box.getAttribute("data-kb-support-hours"));
    const clock = vendorClock(now, config.timeZone);
    let anyOpen = false;
    config.plans.forEach((plan) => {
      const item = box.querySelector('[data-kb-plan="' + CSS.escape(plan.id) + '"]');
      const target = item && item.querySelector("[data-kb-plan-text]");
      if (!target) {
        return;
      }
      const status = planStatus(config, plan, clock);
      anyOpen = anyOpen || status.open;
      target.textContent = status.text;
    });
    const vendorTime = config.dayNames[clock.day - 1] + ", " + clockLabel(clock.minutes);
    const status = box.querySelector("[data-kb-support-now]");
    if (status) {
      status.textContent =
        upfirst("support is " + (anyOpen ? "open" : "closed") + " right now") + ": it is " +
        vendorTime + " " + config.zoneLabel + ".";
      status.hidden = false;
    }
    fillRoutes(box, config, clock);
    box.setAttribute("data-kb-support-state", anyOpen ? "open" : "closed");
  }

  function updateAll() {
    const now = new Date();
    document.querySelectorAll("[data-kb-support-hours]").forEach((box) => {
      try {
        update(box, now);
      } catch (error) {
        // An unknown time zone or malformed data: the static hours stay, which are right.
        box.removeAttribute("data-kb-support-state");
      }
    });
  }

  // Material's instant navigation swaps pages without reloading: re-run on each new page.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(updateAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", updateAll);
  } else {
    updateAll();
  }
  window.setInterval(updateAll, REFRESH_MS);
})();
