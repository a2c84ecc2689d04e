"""Big question files for the import benchmark: GIFT and Moodle XML, mixed types.

``gift_file(count)`` and ``moodle_xml_file(count)`` give the bytes of a file of
``count`` questions in categories of 200, cycling through every type the importer
reads (single choice with feedback, partial credit, multiple response, true/false,
short answer, numeric with tolerance and range, several numeric answers, essay,
HTML and Markdown texts, escaped characters). The texts are Russian and Kazakh, as the
academy's banks are: about 440 bytes a question in GIFT, so 12,000 questions make
the 5 MB that the upload form accepts. No Django needed; deterministic.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

PER_CATEGORY = 200

_TOPICS = [
    "бюджет сельского округа",
    "государственные закупки",
    "жергілікті өзін-өзі басқару",
    "проектное управление",
    "коммунальная собственность",
    "ауыл әкімінің өкілеттіктері",
]
_LEAD = "Тема «{topic}», вопрос {n}, по Бюджетному кодексу."


def _gift_question(n: int) -> str:
    topic = _TOPICS[n % len(_TOPICS)]
    lead = _LEAD.format(topic=topic, n=n)
    kind = n % 10
    if kind == 0:
        return (
            f"::Уровень бюджета {n}::{lead} Какой уровень бюджетной системы — бюджет "
            "сельского округа? {\n"
            "    ~Первый #Нет: первый уровень — республиканский бюджет.\n"
            "    ~Второй #Нет: второй — областной бюджет.\n"
            "    ~Третий\n"
            "    =Четвёртый #Верно: с 2018 года.\n"
            "    ####Бюджет сельского округа стал четвёртым уровнем в 2018 году.\n"
            "}"
        )
    if kind == 1:
        return (
            f"::Утверждение бюджета {n}::{lead} Кто утверждает бюджет сельского округа? {{\n"
            "    =Маслихат района\n"
            "    ~%50%Собрание местного сообщества #Наполовину: с ним сначала советуются.\n"
            "    ~Аким области\n"
            "    ~Министерство финансов\n"
            "}"
        )
    if kind == 2:
        return (
            f"::Собственные доходы {n}::{lead} Какие из этих доходов — собственные доходы "
            "сельского округа? {\n"
            "    ~%33.33333%Индивидуальный подоходный налог #Да.\n"
            "    ~%33.33333%Налог на имущество #Да: местный налог.\n"
            "    ~%33.33333%Земельный налог #Да.\n"
            "    ~%-100%Трансферты из района #Нет: это не собственные доходы.\n"
            "}"
        )
    if kind == 3:
        return (
            f"::Срок полномочий {n}::{lead} Аким сельского округа избирается на четыре "
            "года. {TRUE#Нет: срок — четыре года.#Верно.}"
        )
    if kind == 4:
        return (
            f"::Портал {n}::{lead} Назовите портал государственных закупок. {{\n"
            "    =goszakup.gov.kz #Верно.\n"
            "    =портал госзакупок\n"
            "    =%50%goszakup* #Укажите полный адрес.\n"
            "}"
        )
    if kind == 5:
        return (
            f"::Слушания {n}::{lead} Сколько публичных слушаний в год проводится, плюс-минус "
            "два? {#3:2 #Не меньше одного и не больше пяти.}"
        )
    if kind == 6:
        return (
            f"::Число пи {n}::{lead} Чему равно число π с точностью до сотых? {{#\n"
            "    =3.14:0 #Точно.\n"
            "    =%50%3.14:0.01 #Достаточно близко.\n"
            "    ~#Нет: π ≈ 3,14.\n"
            "}"
        )
    if kind == 7:
        return (
            f"::Отчёт акима {n}::[html]<p>{escape(lead)}</p><p>Опишите, как аким "
            "отчитывается перед населением о <b>исполнении бюджета</b> и что "
            "он показывает в отчёте.</p>{}"
        )
    if kind == 8:
        return (
            f"::Закупки {n}::[markdown]{lead} Выберите **верный** способ закупки, если "
            "сумма не превышает *порога* из приказа. {\n"
            "    =Из одного источника путём прямого заключения договора\n"
            "    ~Конкурс с предварительным квалификационным отбором\n"
            "    ~Аукцион\n"
            "}"
        )
    return (
        f"::Знаки {n}::{lead} Сколько будет 2 \\= 2 \\{{в скобках\\}}, если знак \\~ "
        "означает «примерно»? {\n"
        "    =Два #Верно\\: знак равенства.\n"
        "    ~Четыре\n"
        "}"
    )


def gift_file(count: int) -> bytes:
    """``count`` mixed questions as a UTF-8 GIFT file."""
    parts = ["// Банк вопросов для нагрузочного теста импорта.\n"]
    for n in range(count):
        if n % PER_CATEGORY == 0:
            block = n // PER_CATEGORY + 1
            parts.append(f"$CATEGORY: $course$/top/Модуль {(block - 1) // 5 + 1}/Тема {block}\n")
        parts.append(_gift_question(n) + "\n\n")
    return "".join(parts).encode("utf-8")


def _text(tag: str, text: str, text_format: str | None = None) -> str:
    attribute = f' format="{text_format}"' if text_format else ""
    return f"<{tag}{attribute}><text>{escape(text)}</text></{tag}>"


def _xml_answer(fraction: str, text: str, feedback: str = "", tolerance: str = "") -> str:
    extra = f"<tolerance>{tolerance}</tolerance>" if tolerance else ""
    return (
        f'<answer fraction="{fraction}" format="plain_text"><text>{escape(text)}</text>'
        f"{_text('feedback', feedback, 'plain_text')}{extra}</answer>"
    )


def _xml_question(n: int) -> str:
    topic = _TOPICS[n % len(_TOPICS)]
    lead = _LEAD.format(topic=topic, n=n)
    kind = n % 6
    head = [_text("name", f"Вопрос {n}")]
    if kind == 0:
        qtype = "multichoice"
        head += [
            _text("questiontext", f"<p>{lead} Какой уровень — бюджет округа?</p>", "html"),
            _text("generalfeedback", "Четвёртый уровень с 2018 года.", "plain_text"),
            "<defaultgrade>1.0000000</defaultgrade><single>true</single>"
            "<shuffleanswers>true</shuffleanswers>",
            _xml_answer("0", "Первый", "Нет: республиканский."),
            _xml_answer("0", "Второй"),
            _xml_answer("50", "Третий", "Наполовину."),
            _xml_answer("100", "Четвёртый", "Верно."),
        ]
    elif kind == 1:
        qtype = "multichoice"
        head += [
            _text("questiontext", f"{lead} Какие доходы — собственные?", "moodle_auto_format"),
            "<single>false</single>",
            _xml_answer("33.33333", "Подоходный налог"),
            _xml_answer("33.33333", "Налог на имущество"),
            _xml_answer("33.33333", "Земельный налог"),
            _xml_answer("-100", "Трансферты", "Нет."),
        ]
    elif kind == 2:
        qtype = "truefalse"
        head += [
            _text("questiontext", f"<p>{lead} Аким избирается на четыре года.</p>", "html"),
            _xml_answer("100", "true", "Верно."),
            _xml_answer("0", "false", "Нет: четыре года."),
        ]
    elif kind == 3:
        qtype = "shortanswer"
        head += [
            _text("questiontext", f"<p>{lead} Назовите портал закупок.</p>", "html"),
            _xml_answer("100", "goszakup.gov.kz", "Верно."),
            _xml_answer("50", "goszakup*", "Полный адрес, пожалуйста."),
        ]
    elif kind == 4:
        qtype = "numerical"
        head += [
            _text("questiontext", f"<p>{lead} Сколько слушаний в год?</p>", "html"),
            _xml_answer("100", "3", "Верно.", tolerance="2"),
            _xml_answer("0", "*", "Нет."),
        ]
    else:
        qtype = "essay"
        head += [
            _text("questiontext", f"<p>{lead} Опишите отчёт акима перед населением.</p>", "html"),
            "<responseformat>editor</responseformat>",
        ]
    return f'<question type="{qtype}">' + "".join(head) + "</question>\n"


def moodle_xml_file(count: int) -> bytes:
    """``count`` mixed questions as a Moodle XML file."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n']
    for n in range(count):
        if n % PER_CATEGORY == 0:
            block = n // PER_CATEGORY + 1
            path = f"$course$/top/Модуль {(block - 1) // 5 + 1}/Тема {block}"
            parts.append(f'<question type="category">{_text("category", path)}</question>\n')
        parts.append(_xml_question(n))
    parts.append("</quiz>\n")
    return "".join(parts).encode("utf-8")
