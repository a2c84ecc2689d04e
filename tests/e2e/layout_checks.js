({answerRows, minTarget, minAnswerRow, minFont}) => {
  // Layout checks the browser journeys run on every page (tests/e2e/browser_helpers.py,
  // layout_problems): what axe-core cannot see. Returns one line per problem, each naming
  // the element by a short selector and the start of its HTML.
  const problems = [];
  const root = document.documentElement;
  const viewport = root.clientWidth;
  const name = el => {
    let selector = el.tagName.toLowerCase();
    if (el.id) selector += '#' + el.id;
    else if (el.classList.length) selector += '.' + [...el.classList].join('.');
    return `${selector} ${el.outerHTML.replace(/\s+/g, ' ').slice(0, 90)}`;
  };
  const shown = el => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    // Visually hidden (1 px, clipped) and off-screen (a skip link before focus) are not shown.
    return box.width > 1 && box.height > 1 && style.visibility !== 'hidden'
      && box.bottom + window.scrollY > 0 && !el.closest('[hidden], .visually-hidden');
  };
  const px = value => Math.round(value * 10) / 10;

  // 1. The page itself never scrolls sideways.
  if (root.scrollWidth > viewport) {
    const wide = [...document.body.querySelectorAll('*')]
      .filter(el => el.getBoundingClientRect().right > viewport + 0.5)
      .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > viewport + 0.5))
      .slice(0, 3).map(name);
    problems.push(`page is ${root.scrollWidth} px wide in a ${viewport} px viewport: ${wide.join(' | ')}`);
  }

  // 2. One h1.
  const h1s = document.querySelectorAll('h1');
  if (h1s.length !== 1) {
    problems.push(`${h1s.length} h1 elements${h1s.length ? ': ' + [...h1s].map(name).join(' | ') : ''}`);
  }

  // 3. Every visible form control has a visible label touching it; radios and check
  //    boxes on the same line as their text.
  const controls = [...document.querySelectorAll('input, select, textarea')].filter(el =>
    !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type) && shown(el));
  for (const control of controls) {
    const labels = [...(control.labels || [])].filter(shown);
    if (!labels.length) { problems.push(`no visible label: ${name(control)}`); continue; }
    const box = control.getBoundingClientRect();
    const choice = control.type === 'radio' || control.type === 'checkbox';
    const near = labels.some(label => {
      // The label's own text: the control inside a wrapping label does not count.
      const range = document.createRange();
      const texts = [...label.childNodes].filter(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
      let text = label.getBoundingClientRect();
      if (label.contains(control) && texts.length) {
        range.selectNodeContents(texts[0]);
        text = range.getClientRects()[0] || text;
      }
      const gapX = Math.max(0, text.left - box.right, box.left - text.right);
      const gapY = Math.max(0, text.top - box.bottom, box.top - text.bottom);
      if (choice) {
        const middle = (box.top + box.bottom) / 2;
        return gapX <= 16 && middle >= text.top && middle <= text.bottom;
      }
      return gapX <= 8 && gapY <= 8;
    });
    if (!near) {
      problems.push(`label not ${choice ? 'on the same line as' : 'next to'} its control: ${name(control)}`);
    }
  }

  // 4. Targets at least 24 x 24 (WCAG 2.2, 2.5.8), unless spaced out so that 24 px circles
  //    around them do not meet another target, or a link inside running text.
  const targets = [...document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])'
  )].filter(el => el.type !== 'hidden' && shown(el))
    // A radio or check box inside its label: the label is the target.
    .map(el => (el.type === 'radio' || el.type === 'checkbox') && el.closest('label') || el);
  const unique = [...new Set(targets)];
  const boxes = unique.map(el => el.getBoundingClientRect());
  const inRunningText = el => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display === 'inline') block = block.parentElement;
    const own = [...block.querySelectorAll('a, button')].reduce((n, a) => n + a.textContent.length, 0);
    return (block.textContent.replace(/\s+/g, ' ').trim().length - own) >= 20;
  };
  const small = unique.map((el, i) => boxes[i].width < minTarget - 0.5 || boxes[i].height < minTarget - 0.5);
  const centre = b => [(b.left + b.right) / 2, (b.top + b.bottom) / 2];
  unique.forEach((el, i) => {
    if (!small[i] || inRunningText(el)) return;
    const [x, y] = centre(boxes[i]);
    const crowded = unique.some((other, j) => {
      if (j === i || other.contains(el) || el.contains(other)) return false;
      const b = boxes[j];
      const dx = Math.max(b.left - x, 0, x - b.right);
      const dy = Math.max(b.top - y, 0, y - b.bottom);
      if (Math.hypot(dx, dy) < minTarget / 2) return true;
      if (!small[j]) return false;
      const [ox, oy] = centre(b);
      return Math.hypot(ox - x, oy - y) < minTarget;
    });
    if (crowded) {
      problems.push(`target ${px(boxes[i].width)}x${px(boxes[i].height)} px, under ${minTarget} and crowded: ${name(el)}`);
    }
  });
  for (const row of document.querySelectorAll(answerRows)) {
    const box = row.getBoundingClientRect();
    const form = row.closest('form').getBoundingClientRect();
    if (box.height < minAnswerRow - 0.5 || box.width < form.width * 0.9) {
      problems.push(`answer row ${px(box.width)}x${px(box.height)} px, not full width or under ${minAnswerRow} high: ${name(row)}`);
    }
  }

  // 5. No text under 12 px.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const tiny = new Set();
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !parent || tiny.has(parent) || !shown(parent)) continue;
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TITLE'].includes(parent.tagName)) continue;
    const size = parseFloat(getComputedStyle(parent).fontSize);
    if (size < minFont) { tiny.add(parent); problems.push(`text ${px(size)} px: ${name(parent)}`); }
  }
  return problems;
}
