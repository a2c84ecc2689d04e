"""Demo news articles for the public news section (data only, for seeding demo content).

Each article lists its translations (Kazakh, Russian and/or English) under the same slug.
Figures and dates follow the project's domain brief; people quoted by name are fictional.
Body blocks are ``(block_type, value)`` pairs: ``paragraph`` (limited HTML), ``heading``
(text), ``quote`` (text and attribution) and ``contacts`` (a partners/contacts box).
"""

# Authors of the press service and the Academy of Public Administration (APA).
PEOPLE = [
    {
        "key": "press",
        "name": "Айгерим Жумабаева",
        "role": {
            "kk": "Мемлекеттік басқару академиясының баспасөз хатшысы",
            "ru": "Пресс-секретарь Академии государственного управления",
            "en": "Press secretary, Academy of Public Administration",
        },
    },
    {
        "key": "trainer",
        "name": "Ерлан Оспанов",
        "role": {
            "kk": "Сертификатталған тренер-консультант",
            "ru": "Сертифицированный тренер-консультант",
            "en": "Certified trainer-consultant",
        },
    },
    {
        "key": "methodologist",
        "name": "Наталья Ковалёва",
        "role": {
            "kk": "Онлайн-курс әдіскері",
            "ru": "Методист онлайн-курса",
            "en": "Online course methodologist",
        },
    },
]

# Category slug -> name in each language.
CATEGORIES = {
    "seminars": {"kk": "Семинарлар", "ru": "Семинары", "en": "Seminars"},
    "forums": {"kk": "Форумдар", "ru": "Форумы", "en": "Forums"},
    "press-releases": {"kk": "Баспасөз релиздері", "ru": "Пресс-релизы", "en": "Press releases"},
    "announcements": {"kk": "Хабарландырулар", "ru": "Объявления", "en": "Announcements"},
}

# News articles, oldest first.
ARTICLES = [
    {
        "slug": "esil-republican-seminar-2019",
        "date": "2019-07-12",
        "category": "seminars",
        "authors": ["press"],
        "regions": ["akmola"],
        "cover": {"motif": "classroom", "colour": "#1f5f8b"},
        "translations": {
            "ru": {
                "title": "В Есиле прошёл республиканский семинар для сельских акимов",
                "lead": (
                    "Двухдневная встреча в Есиле Акмолинской области собрала 45 руководителей "
                    "сельских территорий со всей страны. Речь шла о том, как управлять "
                    "социально-экономическим развитием села."
                ),
                "tags": ["семинар", "акимы", "развитие села", "командная работа"],
                "cover_caption": "Участники семинара в Есиле работают в группах",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>В июле в городе Есиль Акмолинской области Академия "
                            "государственного управления провела двухдневный республиканский "
                            "семинар, посвящённый управлению социально-экономическим развитием "
                            "сельских территорий. В нём участвовали <b>45 человек</b>, среди них "
                            "<b>24 женщины-акима</b> из всех регионов страны.</p>"
                        ),
                    ),
                    ("heading", "Два дня, пять форматов"),
                    (
                        "paragraph",
                        (
                            "<p>Организаторы выстроили программу так, чтобы каждая идея сразу "
                            "проверялась на практике:</p><ul><li>мастер-класс по инклюзивному "
                            "планированию развития села, при котором учитываются интересы всех "
                            "жителей;</li><li>диалоговая площадка, где акимы обменялись опытом и "
                            "обсудили общие трудности;</li><li>командная игра по всеобщему "
                            "управлению качеством;</li><li>выездное занятие непосредственно на "
                            "объекте;</li><li>тест командных ролей Белбина.</li></ul>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Тест Белбина вызвал особый интерес. Это анкета для самооценки, в "
                            "которой нет правильных или неправильных ответов: по сумме баллов "
                            "каждый участник получает профиль своих ролей в команде. Многие акимы "
                            "признались, что взглянули на свой аппарат по-новому и задумались, как "
                            "распределять задачи между сотрудниками.</p>"
                        ),
                    ),
                    (
                        "quote",
                        {
                            "text": (
                                "Мы привыкли решать всё сами. Игра показала, что у каждого в "
                                "команде своя сильная сторона, и ею нужно пользоваться."
                            ),
                            "attribution": "Участница семинара, аким сельского округа",
                        },
                    ),
                    (
                        "paragraph",
                        (
                            "<p>На диалоговой площадке говорили о том, как вовлекать жителей в "
                            "обсуждение планов, как выстраивать работу с районом и где искать "
                            "ресурсы для небольших сельских проектов. Материалы семинара участники "
                            "увезли с собой, чтобы поделиться ими с коллегами в своих районах.</p>"
                        ),
                    ),
                ],
            },
            "kk": {
                "title": "Есілде ауыл әкімдеріне арналған республикалық семинар өтті",
                "lead": (
                    "Ақмола облысының Есіл қаласында өткен екі күндік кездесуге елдің "
                    "түкпір-түкпірінен 45 ауыл басшысы жиналды. Басты тақырып — ауылдық "
                    "аумақтардың әлеуметтік-экономикалық дамуын басқару."
                ),
                "tags": ["семинар", "әкімдер", "ауылды дамыту", "командалық жұмыс"],
                "cover_caption": "Есілдегі семинар қатысушылары топпен жұмыс істеп отыр",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>Шілде айында Мемлекеттік басқару академиясы Ақмола облысының Есіл "
                            "қаласында ауылдық аумақтардың әлеуметтік-экономикалық дамуын "
                            "басқаруға арналған екі күндік республикалық семинар өткізді. Оған "
                            "<b>45 адам</b> қатысты, олардың ішінде барлық өңірден келген <b>24 "
                            "әйел әкім</b> бар.</p>"
                        ),
                    ),
                    ("heading", "Екі күн, бес формат"),
                    (
                        "paragraph",
                        (
                            "<p>Ұйымдастырушылар бағдарламаны әр идеяны бірден іс жүзінде сынап "
                            "көруге болатындай етіп құрды:</p><ul><li>ауыл тұрғындарының бәрінің "
                            "мүддесін ескеретін инклюзивті жоспарлау бойынша шеберлік "
                            "сабағы;</li><li>әкімдер тәжірибе алмасып, ортақ қиындықтарды "
                            "талқылаған диалог алаңы;</li><li>жалпыға ортақ сапа менеджменті "
                            "тақырыбындағы командалық ойын;</li><li>нысанның өзінде өткен көшпелі "
                            "сабақ;</li><li>Белбиннің командалық рөлдер тесті.</li></ul>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Белбин тесті ерекше қызығушылық тудырды. Бұл — дұрыс не бұрыс "
                            "жауабы жоқ, өзін-өзі бағалауға арналған сауалнама: жинаған ұпайына "
                            "қарай әр қатысушы командадағы өз рөлдерінің бейінін алады. Көп әкім "
                            "өз аппаратына жаңаша қарап, міндеттерді қызметкерлер арасында қалай "
                            "бөлу керегін ойланғанын айтты.</p>"
                        ),
                    ),
                    (
                        "quote",
                        {
                            "text": (
                                "Біз бәрін өзіміз шешуге дағдыланып қалғанбыз. Ойын командадағы әр "
                                "адамның өз мықты тұсы бар екенін, оны пайдалану керегін көрсетті."
                            ),
                            "attribution": "Семинар қатысушысы, ауылдық округ әкімі",
                        },
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Диалог алаңында тұрғындарды жоспарларды талқылауға қалай тартуға "
                            "болатыны, аудан әкімдігімен жұмысты қалай жолға қою керегі және шағын "
                            "ауыл жобаларына қаражатты қайдан іздеуге болатыны сөз болды. Семинар "
                            "материалдарын қатысушылар өз аудандарындағы әріптестерімен бөлісу "
                            "үшін ала кетті.</p>"
                        ),
                    ),
                ],
            },
            "en": {
                "title": "Esil hosts a national seminar for rural akims",
                "lead": (
                    "A two-day meeting in Esil, Akmola Region, brought together 45 heads of rural "
                    "areas from across the country to discuss how to manage the social and "
                    "economic development of villages."
                ),
                "tags": ["seminar", "akims", "rural development", "teamwork"],
                "cover_caption": "Participants of the Esil seminar working in groups",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>In July the Academy of Public Administration held a two-day "
                            "national seminar in the town of Esil, Akmola Region, on managing the "
                            "social and economic development of rural areas. It brought together "
                            "<b>45 participants</b>, among them <b>24 women akims</b> from every "
                            "region of the country.</p>"
                        ),
                    ),
                    ("heading", "Two days, five formats"),
                    (
                        "paragraph",
                        (
                            "<p>The organisers built the programme so that every idea could be "
                            "tried out in practice straight away:</p><ul><li>a master class on "
                            "inclusive rural planning, which takes the interests of all residents "
                            "into account;</li><li>a dialogue platform where akims shared "
                            "experience and talked through common difficulties;</li><li>a "
                            "team-building game on total quality management;</li><li>a site visit "
                            "with a session held on location;</li><li>the Belbin team-roles "
                            "test.</li></ul>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>The Belbin test drew particular interest. It is a self-assessment "
                            "questionnaire with no right or wrong answers: the scores add up to a "
                            "profile of the roles each person tends to play in a team. Many akims "
                            "said it made them look at their own staff differently and rethink how "
                            "they share out tasks.</p>"
                        ),
                    ),
                    (
                        "quote",
                        {
                            "text": (
                                "We are used to doing everything ourselves. The game showed that "
                                "everyone on a team has a strength of their own, and it should be "
                                "put to use."
                            ),
                            "attribution": "Seminar participant, head of a rural district",
                        },
                    ),
                    (
                        "paragraph",
                        (
                            "<p>On the dialogue platform participants discussed how to involve "
                            "residents in local plans, how to work with the district "
                            "administration and where to find resources for small village "
                            "projects. They took the seminar materials home to share with "
                            "colleagues in their districts.</p>"
                        ),
                    ),
                ],
            },
        },
    },
    {
        "slug": "belbin-team-roles-test",
        "date": "2019-07-24",
        "category": "seminars",
        "authors": ["trainer"],
        "regions": ["akmola"],
        "cover": {"motif": "chart", "colour": "#6b8e23"},
        "translations": {
            "kk": {
                "title": "Белбин тесті: командадағы рөліңіз қандай?",
                "lead": (
                    "Есілдегі семинарда ауыл әкімдері Белбиннің командалық рөлдер тестін тапсырды. "
                    "Тренер-консультант бұл сауалнаманың не үшін қажет екенін және нәтижесін қалай "
                    "түсінуге болатынын түсіндіреді."
                ),
                "tags": ["командалық жұмыс", "семинар", "әкімдер"],
                "cover_caption": "Қатысушылар Белбин сауалнамасын толтырып отыр",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>Шілде айында Есіл қаласында өткен республикалық семинардың "
                            "бағдарламасына Белбиннің командалық рөлдер тесті енгізілді. "
                            "Қатысушылардың көбі мұндай сауалнаманы алғаш рет көрді, сондықтан "
                            "оның мәнін қысқаша түсіндіріп өтейік.</p>"
                        ),
                    ),
                    ("heading", "Тест қалай құрылған"),
                    (
                        "paragraph",
                        (
                            "<p>Бұл — өзін-өзі бағалауға арналған сауалнама. Онда дұрыс немесе "
                            "бұрыс жауап болмайды: адам ұсынылған тұжырымдардың өзіне қаншалықты "
                            "сәйкес келетінін ұпаймен бағалайды. Содан кейін ұпайлар қосылып, "
                            "рөлдер бейініне айналады. Нәтижесінде әркім командада қандай рөлді "
                            "жиі атқаратынын, ал қандай рөл өзіне жат екенін көреді.</p>"
                        ),
                    ),
                    ("heading", "Ауыл әкіміне бұл не береді"),
                    (
                        "paragraph",
                        (
                            "<p>Ауыл әкімі аппаратының штаты әдетте шағын, сондықтан әр "
                            "қызметкердің мүмкіндігін дұрыс пайдалану маңызды. Біреу жаңа ой "
                            "ұсынуға шебер, біреу бастаған істі соңына дейін жеткізеді, енді біреу "
                            "адамдардың басын қосып, ортақ келісімге келтіреді. Тест нәтижесі "
                            "міндеттерді бөлгенде және жаңа жобаға топ жасақтағанда пайдалы бағдар "
                            "бола алады.</p>"
                        ),
                    ),
                    (
                        "quote",
                        {
                            "text": (
                                "Тест адамды «жақсы» немесе «жаман» деп бөлмейді. Ол команданың "
                                "қай тұсында күш жетіспей тұрғанын көруге көмектеседі."
                            ),
                            "attribution": "Ерлан Оспанов, тренер-консультант",
                        },
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Семинар соңында көп қатысушы тестті өз ұжымында да өткізіп "
                            "көретінін айтты. Нәтижені бірге талқылау — аппарат қызметкерлерімен "
                            "ашық әңгімелесуге жақсы себеп. Ең бастысы, тестті бағалау құралы "
                            "емес, ортақ жұмысты жақсартуға арналған көмекші құрал ретінде "
                            "қабылдау керек.</p>"
                        ),
                    ),
                ],
            },
        },
    },
    {
        "slug": "direct-elections-announced",
        "date": "2020-09-02",
        "category": "announcements",
        "authors": ["press"],
        "regions": [],
        "cover": {"motif": "documents", "colour": "#8b1f3d"},
        "translations": {
            "ru": {
                "title": "Сельских акимов будут выбирать напрямую",
                "lead": (
                    "В Послании 1 сентября 2020 года объявлено о переходе к прямым выборам "
                    "сельских акимов. Для жителей это новая возможность влиять на жизнь своего "
                    "села, для будущих акимов — новая ответственность."
                ),
                "tags": ["выборы", "местное самоуправление", "акимы"],
                "cover_caption": "Подготовка к реформе местного самоуправления",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>1 сентября 2020 года в Послании Главы государства было объявлено о "
                            "прямых выборах акимов сельских округов, посёлков и сёл. Это решение "
                            "продолжает реформу местного самоуправления: руководителя села будут "
                            "определять сами жители, а не назначать сверху.</p>"
                        ),
                    ),
                    ("heading", "Что это меняет"),
                    (
                        "paragraph",
                        (
                            "<p>Прямые выборы делают акима подотчётным прежде всего тем людям, "
                            "которые за него проголосовали. Кандидату придётся объяснять, что он "
                            "собирается сделать для села, а избранному акиму — регулярно "
                            "отчитываться о результатах. Вместе с полномочиями растут и требования "
                            "к знаниям: бюджет села, закупки, коммунальное имущество, работа с "
                            "обращениями граждан.</p>"
                        ),
                    ),
                    ("heading", "Роль Академии"),
                    (
                        "paragraph",
                        (
                            "<p>Академия государственного управления готовится поддержать будущих "
                            "акимов обучением. Опыт уже есть: в 2019 году в Есиле прошёл "
                            "республиканский семинар по управлению развитием сельских территорий. "
                            "Теперь задача шире — дать практические знания людям, которые придут "
                            "на эту должность впервые, в том числе тем, у кого нет опыта "
                            "государственной службы.</p>"
                        ),
                    ),
                    (
                        "quote",
                        {
                            "text": (
                                "Выборный аким — это человек, которому доверили село. Наша задача "
                                "— помочь ему с первого дня работать уверенно."
                            ),
                            "attribution": "Пресс-служба Академии государственного управления",
                        },
                    ),
                    (
                        "paragraph",
                        (
                            "<p>О сроках выборов и программах обучения мы будем рассказывать в "
                            "разделе новостей. Тем, кто задумывается о том, чтобы стать сельским "
                            "акимом, советуем уже сейчас познакомиться с тем, как формируется "
                            "бюджет села и как устроено местное самоуправление.</p>"
                        ),
                    ),
                ],
            },
            "kk": {
                "title": "Ауыл әкімдері енді тікелей сайланады",
                "lead": (
                    "2020 жылғы 1 қыркүйектегі Жолдауда ауыл әкімдерін тікелей сайлауға көшу "
                    "жарияланды. Тұрғындар үшін бұл — ауыл өміріне ықпал етудің жаңа мүмкіндігі, "
                    "болашақ әкімдер үшін — жаңа жауапкершілік."
                ),
                "tags": ["сайлау", "жергілікті өзін-өзі басқару", "әкімдер"],
                "cover_caption": "Жергілікті өзін-өзі басқару реформасына дайындық",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>2020 жылғы 1 қыркүйекте Мемлекет басшысының Жолдауында ауылдық "
                            "округтер, кенттер мен ауылдар әкімдерінің тікелей сайлауы жарияланды. "
                            "Бұл шешім жергілікті өзін-өзі басқару реформасын жалғастырады: ауыл "
                            "басшысын жоғарыдан тағайындамай, тұрғындардың өздері сайлайды.</p>"
                        ),
                    ),
                    ("heading", "Не өзгереді"),
                    (
                        "paragraph",
                        (
                            "<p>Тікелей сайлау әкімді ең алдымен өзіне дауыс берген адамдардың "
                            "алдында есеп беретін етеді. Кандидат ауыл үшін не істемек екенін "
                            "түсіндіруге, ал сайланған әкім атқарған жұмысы туралы тұрақты есеп "
                            "беріп отыруға тиіс. Өкілеттікпен бірге білімге қойылатын талап та "
                            "артады: ауыл бюджеті, сатып алу, коммуналдық мүлік, азаматтардың "
                            "өтініштерімен жұмыс.</p>"
                        ),
                    ),
                    ("heading", "Академияның рөлі"),
                    (
                        "paragraph",
                        (
                            "<p>Мемлекеттік басқару академиясы болашақ әкімдерді оқыту арқылы "
                            "қолдауға дайындалып жатыр. Тәжірибе бар: 2019 жылы Есілде ауылдық "
                            "аумақтардың дамуын басқару жөнінде республикалық семинар өтті. Енді "
                            "міндет кеңірек — бұл лауазымға алғаш рет келетін адамдарға, соның "
                            "ішінде мемлекеттік қызметте тәжірибесі жоқтарға, практикалық білім "
                            "беру.</p>"
                        ),
                    ),
                    (
                        "quote",
                        {
                            "text": (
                                "Сайланған әкім — ауылдың сенімін арқалаған адам. Біздің "
                                "міндетіміз — оның алғашқы күннен бастап сенімді жұмыс істеуіне "
                                "көмектесу."
                            ),
                            "attribution": "Мемлекеттік басқару академиясының баспасөз қызметі",
                        },
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Сайлау мерзімі мен оқыту бағдарламалары туралы жаңалықтар "
                            "бөлімінде хабарлап отырамыз. Ауыл әкімі болуға ниеті бар азаматтарға "
                            "қазірден бастап ауыл бюджетінің қалай құралатынымен және жергілікті "
                            "өзін-өзі басқарудың қалай жұмыс істейтінімен танысуды ұсынамыз.</p>"
                        ),
                    ),
                ],
            },
            "en": {
                "title": "Rural akims will be elected directly",
                "lead": (
                    "The address of 1 September 2020 announced a move to direct elections of rural "
                    "akims. For residents it is a new way to shape village life; for future akims, "
                    "a new kind of responsibility."
                ),
                "tags": ["elections", "local self-government", "akims"],
                "cover_caption": "Preparing for the local self-government reform",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>The head of state's address of 1 September 2020 announced direct "
                            "elections for the akims of rural districts, townships and villages. "
                            "The decision takes the local self-government reform a step further: "
                            "village leaders will be chosen by residents rather than appointed "
                            "from above.</p>"
                        ),
                    ),
                    ("heading", "What changes"),
                    (
                        "paragraph",
                        (
                            "<p>Direct elections make an akim answerable first of all to the "
                            "people who voted for them. Candidates will have to explain what they "
                            "intend to do for the village, and elected akims will have to report "
                            "regularly on their results. New powers bring higher expectations of "
                            "knowledge: the village budget, procurement, communal property and "
                            "handling citizens' requests.</p>"
                        ),
                    ),
                    ("heading", "The Academy's role"),
                    (
                        "paragraph",
                        (
                            "<p>The Academy of Public Administration is getting ready to support "
                            "future akims with training. It has experience to build on: in 2019 it "
                            "held a national seminar in Esil on managing rural development. The "
                            "task now is wider: to give practical knowledge to people taking up "
                            "the post for the first time, including those with no background in "
                            "the civil service.</p>"
                        ),
                    ),
                    (
                        "quote",
                        {
                            "text": (
                                "An elected akim is someone a village has placed its trust in. Our "
                                "job is to help them work with confidence from day one."
                            ),
                            "attribution": "Press service, Academy of Public Administration",
                        },
                    ),
                    (
                        "paragraph",
                        (
                            "<p>We will report on election dates and training programmes here in "
                            "the news section. Anyone thinking of standing as a rural akim would "
                            "do well to start learning now how a village budget is put together "
                            "and how local self-government works.</p>"
                        ),
                    ),
                ],
            },
        },
    },
    {
        "slug": "first-rural-akim-elections",
        "date": "2021-07-26",
        "category": "press-releases",
        "authors": ["press"],
        "regions": [],
        "cover": {"motif": "map", "colour": "#2e7d32"},
        "translations": {
            "ru": {
                "title": "Первые прямые выборы сельских акимов: избраны 730 руководителей",
                "lead": (
                    "25 июля 2021 года в 14 регионах страны прошли первые выборы сельских акимов. "
                    "На 730 должностей претендовали 2 172 кандидата, голосование было организовано "
                    "на 1 845 избирательных участках."
                ),
                "tags": ["выборы", "акимы", "местное самоуправление"],
                "cover_caption": "Карта регионов, где прошли первые выборы сельских акимов",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>25 июля 2021 года в Казахстане впервые прошли прямые выборы "
                            "сельских акимов. Голосование состоялось в <b>14 регионах</b>, на <b>1 "
                            "845 избирательных участках</b>. Жители избрали <b>730 акимов</b>; "
                            "всего было зарегистрировано <b>2 172 кандидата</b>, то есть почти по "
                            "три претендента на одно место.</p>"
                        ),
                    ),
                    ("heading", "Четыре года на результат"),
                    (
                        "paragraph",
                        (
                            "<p>Избранные акимы будут работать <b>четыре года</b>. За это время им "
                            "предстоит разобраться в бюджете села, наладить работу с жителями и "
                            "районом, довести до конца первые проекты. Многие из них приходят на "
                            "должность впервые, и им нужна быстрая и практическая поддержка.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Для многих сёл это первый опыт, когда жители сами выбирают своего "
                            "руководителя. Во время кампании кандидаты встречались с избирателями "
                            "и рассказывали о планах: дороги, водоснабжение, освещение улиц, "
                            "занятость молодёжи. Теперь эти обещания предстоит превращать в "
                            "конкретные дела.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Академия государственного управления готовит для новых акимов "
                            "программу обучения. Первый поток пройдёт её на базе филиала Академии "
                            "в Акмолинской области. В программу войдут бюджет и закупки, "
                            "коммунальное имущество, налоги, административные процедуры, "
                            "коммуникация с гражданами и управление проектами. Занятия проведут "
                            "сертифицированные тренеры-консультанты и практики.</p>"
                        ),
                    ),
                    (
                        "contacts",
                        {
                            "title": "Контакты для прессы",
                            "text": (
                                "Пресс-служба Академии государственного управления: "
                                "press@example.org. Запросы на интервью принимаются в рабочие дни."
                            ),
                        },
                    ),
                ],
            },
            "kk": {
                "title": "Ауыл әкімдерінің алғашқы тікелей сайлауы: 730 басшы сайланды",
                "lead": (
                    "2021 жылғы 25 шілдеде елдің 14 өңірінде ауыл әкімдерінің алғашқы сайлауы "
                    "өтті. 730 лауазымға 2 172 кандидат үміткер болды, дауыс беру 1 845 сайлау "
                    "учаскесінде ұйымдастырылды."
                ),
                "tags": ["сайлау", "әкімдер", "жергілікті өзін-өзі басқару"],
                "cover_caption": "Ауыл әкімдерінің алғашқы сайлауы өткен өңірлер картасы",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>2021 жылғы 25 шілдеде Қазақстанда ауыл әкімдерінің алғашқы тікелей "
                            "сайлауы өтті. Дауыс беру <b>14 өңірде</b>, <b>1 845 сайлау "
                            "учаскесінде</b> ұйымдастырылды. Тұрғындар <b>730 әкімді</b> сайлады; "
                            "барлығы <b>2 172 кандидат</b> тіркелген, яғни бір орынға үшке жуық "
                            "үміткерден келді.</p>"
                        ),
                    ),
                    ("heading", "Нәтижеге — төрт жыл"),
                    (
                        "paragraph",
                        (
                            "<p>Сайланған әкімдер <b>төрт жыл</b> қызмет атқарады. Осы уақыт "
                            "ішінде олар ауыл бюджетін меңгеріп, тұрғындармен және аудан "
                            "әкімдігімен жұмысты жолға қойып, алғашқы жобаларын аяқтауы керек. "
                            "Олардың көбі бұл қызметке алғаш рет келді, сондықтан оларға жедел әрі "
                            "нақты қолдау қажет.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Көптеген ауыл үшін бұл — тұрғындардың өз басшысын өздері таңдаған "
                            "алғашқы тәжірибе. Сайлау науқаны кезінде кандидаттар сайлаушылармен "
                            "кездесіп, жоспарларымен бөлісті: жол, ауыз су, көше жарығы, жастарды "
                            "жұмыспен қамту. Енді сол уәделерді нақты іске айналдыру керек.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Мемлекеттік басқару академиясы жаңа әкімдерге арналған оқыту "
                            "бағдарламасын әзірлеп жатыр. Алғашқы топ Академияның Ақмола "
                            "облысындағы филиалында оқиды. Бағдарламаға бюджет пен сатып алу, "
                            "коммуналдық мүлік, салықтар, әкімшілік рәсімдер, азаматтармен "
                            "қарым-қатынас және жобаларды басқару енеді. Сабақтарды "
                            "сертификатталған тренер-консультанттар мен практиктер жүргізеді.</p>"
                        ),
                    ),
                    (
                        "contacts",
                        {
                            "title": "Баспасөзге арналған байланыс",
                            "text": (
                                "Мемлекеттік басқару академиясының баспасөз қызметі: "
                                "press@example.org. Сұхбатқа өтінімдер жұмыс күндері қабылданады."
                            ),
                        },
                    ),
                ],
            },
            "en": {
                "title": "First direct elections of rural akims: 730 leaders elected",
                "lead": (
                    "On 25 July 2021 the first elections of rural akims took place in 14 regions. "
                    "There were 2,172 candidates for 730 posts, and voting was held at 1,845 "
                    "polling stations."
                ),
                "tags": ["elections", "akims", "local self-government"],
                "cover_caption": (
                    "Map of the regions where the first rural akim elections took place"
                ),
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>On 25 July 2021 Kazakhstan held its first direct elections of "
                            "rural akims. Voting was organised in <b>14 regions</b> at <b>1,845 "
                            "polling stations</b>. Residents elected <b>730 akims</b> from "
                            "<b>2,172 registered candidates</b>, which means almost three "
                            "contenders for every post.</p>"
                        ),
                    ),
                    ("heading", "Four years to deliver"),
                    (
                        "paragraph",
                        (
                            "<p>The elected akims will serve a <b>four-year term</b>. In that time "
                            "they will need to master the village budget, build working relations "
                            "with residents and the district, and see their first projects "
                            "through. Many of them are new to the job and need fast, practical "
                            "support.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>For many villages this is the first time residents have chosen "
                            "their own leader. During the campaign candidates met voters and "
                            "talked about their plans: roads, water supply, street lighting, jobs "
                            "for young people. Now those promises have to be turned into concrete "
                            "work.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>The Academy of Public Administration is preparing a training "
                            "programme for the new akims. The first group will take it at the "
                            "Academy's branch in Akmola Region. It will cover the budget and "
                            "procurement, communal property, taxes, administrative procedures, "
                            "communication with citizens and project management. Classes will be "
                            "led by certified trainer-consultants and practitioners.</p>"
                        ),
                    ),
                    (
                        "contacts",
                        {
                            "title": "Press contacts",
                            "text": (
                                "Press service of the Academy of Public Administration: "
                                "press@example.org. Interview requests are handled on working days."
                            ),
                        },
                    ),
                ],
            },
        },
    },
    {
        "slug": "akmola-programme-opens",
        "date": "2021-10-04",
        "category": "press-releases",
        "authors": ["press"],
        "regions": ["akmola"],
        "cover": {"motif": "classroom", "colour": "#2b6a8f"},
        "translations": {
            "kk": {
                "title": "МБА-ның Ақмола облысындағы филиалында жаңа ауыл әкімдерін оқыту басталды",
                "lead": (
                    "2021 жылғы 4–22 қазан аралығында алғашқы тікелей сайлауда сайланған ауыл "
                    "әкімдері Мемлекеттік басқару академиясының Ақмола облысындағы филиалында "
                    "оқудан өтеді."
                ),
                "tags": ["оқыту", "әкімдер", "бюджет", "сатып алу"],
                "cover_caption": "Академияның Ақмола филиалындағы алғашқы сабақ күні",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>4 қазанда Мемлекеттік басқару академиясының Ақмола облысындағы "
                            "филиалында 2021 жылғы 25 шілдеде сайланған ауыл әкімдеріне арналған "
                            "оқыту бағдарламасы басталды. Курс шамамен үш аптаға есептелген және "
                            "<b>22 қазанға</b> дейін жалғасады. Тыңдаушылар әртүрлі өңірден "
                            "келген, олардың көбі әкім қызметіне алғаш рет кірісті.</p>"
                        ),
                    ),
                    ("heading", "Не оқытылады"),
                    (
                        "paragraph",
                        (
                            "<p>Бағдарлама он бір модульден тұрады. Тыңдаушылар стратегиялық "
                            "құжаттар мен ұлттық басымдықтарды, жергілікті өзін-өзі басқару "
                            "реформасын, бюджет жүйесінің төртінші деңгейі ретінде ауыл бюджетін "
                            "жоспарлауды, мемлекеттік сатып алуды, коммуналдық мүлік пен салық "
                            "түсімдерін басқаруды, Әкімшілік рәсімдік-процестік кодекстің "
                            "нормаларын талдайды. Жеке модульдер «Халық үніне құлақ асатын "
                            "мемлекет» тұжырымдамасына, командалық жұмысқа, әлеуметтік желілерге "
                            "және жобаларды басқаруға арналған.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Сабақтарды сертификатталған тренер-консультанттар мен практиктер "
                            "жүргізеді. Басты назар әкім жұмысының алғашқы айларында кездесетін "
                            "нақты жағдайларды талдауға аударылады: бюджетті қалай құру керек, "
                            "сатып алуды қатесіз қалай өткізу керек, тұрғындардың өтініштеріне "
                            "қалай жауап беру керек. Әр модуль практикалық тапсырмамен "
                            "аяқталады.</p>"
                        ),
                    ),
                    (
                        "quote",
                        {
                            "text": (
                                "Осы үш аптадан кейін әр әкімнің өз ауылы үшін түсінікті іс-қимыл "
                                "жоспары болғанын қалаймыз."
                            ),
                            "attribution": "Наталья Ковалёва, бағдарлама әдіскері",
                        },
                    ),
                    (
                        "contacts",
                        {
                            "title": "Байланыс",
                            "text": (
                                "Мемлекеттік басқару академиясының баспасөз қызметі: "
                                "press@example.org. Академияның Ақмола облысындағы филиалы: "
                                "akmola@example.org."
                            ),
                        },
                    ),
                ],
            },
            "ru": {
                "title": (
                    "В филиале АГУ в Акмолинской области начались занятия для новых сельских акимов"
                ),
                "lead": (
                    "С 4 по 22 октября 2021 года сельские акимы, избранные на первых прямых "
                    "выборах, проходят обучение в филиале Академии государственного управления в "
                    "Акмолинской области."
                ),
                "tags": ["обучение", "акимы", "бюджет", "закупки"],
                "cover_caption": "Первый день занятий в Акмолинском филиале Академии",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>4 октября в филиале Академии государственного управления в "
                            "Акмолинской области стартовала программа обучения для сельских "
                            "акимов, избранных 25 июля 2021 года. Курс рассчитан примерно на три "
                            "недели и продлится до <b>22 октября</b>. Слушатели приехали из разных "
                            "регионов, многие из них впервые заняли должность акима.</p>"
                        ),
                    ),
                    ("heading", "Чему будут учиться"),
                    (
                        "paragraph",
                        (
                            "<p>Программа состоит из одиннадцати модулей. Слушатели разберут "
                            "стратегические документы и национальные приоритеты, реформу местного "
                            "самоуправления, планирование бюджета села как четвёртого уровня "
                            "бюджетной системы, государственные закупки, управление коммунальным "
                            "имуществом и налоговыми поступлениями, нормы Административного "
                            "процедурно-процессуального кодекса. Отдельные модули посвящены "
                            "концепции «Слышащего государства», командной работе, социальным сетям "
                            "и управлению проектами.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Занятия ведут сертифицированные тренеры-консультанты и практики. "
                            "Основное внимание уделяется разбору реальных ситуаций, с которыми "
                            "аким сталкивается в первые месяцы работы: как составить бюджет, как "
                            "провести закупку без ошибок, как отвечать на обращения жителей. "
                            "Каждый модуль завершается практическим заданием.</p>"
                        ),
                    ),
                    (
                        "quote",
                        {
                            "text": (
                                "Мы хотим, чтобы после этих трёх недель у каждого акима был "
                                "понятный план действий для своего села."
                            ),
                            "attribution": "Наталья Ковалёва, методист программы",
                        },
                    ),
                    (
                        "contacts",
                        {
                            "title": "Контакты",
                            "text": (
                                "Пресс-служба Академии государственного управления: "
                                "press@example.org. Филиал Академии в Акмолинской области: "
                                "akmola@example.org."
                            ),
                        },
                    ),
                ],
            },
        },
    },
    {
        "slug": "project-management-module",
        "date": "2021-10-13",
        "category": "seminars",
        "authors": ["trainer"],
        "regions": ["akmola"],
        "cover": {"motif": "chart", "colour": "#b3541e"},
        "translations": {
            "ru": {
                "title": "Управление проектами: почему этому модулю уделили особое внимание",
                "lead": (
                    "Из одиннадцати модулей программы для сельских акимов модулю по управлению "
                    "проектами придан особый вес. Объясняем, почему проектный подход так важен для "
                    "села."
                ),
                "tags": ["управление проектами", "обучение", "акимы"],
                "cover_caption": "Слушатели составляют план проекта на флипчарте",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>Программа, которая идёт в филиале Академии в Акмолинской области с "
                            "4 по 22 октября, включает одиннадцать модулей. Один из них — "
                            "<b>управление проектами</b> — авторы программы выделили особо. "
                            "Причина проста: проект позволяет решить конкретную проблему за "
                            "короткий срок.</p>"
                        ),
                    ),
                    ("heading", "Проект вместо бесконечного плана"),
                    (
                        "paragraph",
                        (
                            "<p>У сельского акима много задач, а денег и времени мало. Проектный "
                            "подход помогает выбрать одну понятную проблему — например, освещение "
                            "улицы, ремонт детской площадки или вывоз мусора — и решить её от "
                            "начала до конца. У проекта есть цель, срок, бюджет, ответственные и "
                            "измеримый результат, который видят жители.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>На занятиях слушатели учились:</p><ol><li>формулировать проблему "
                            "так, чтобы её можно было решить;</li><li>разбивать работу на этапы и "
                            "назначать ответственных;</li><li>оценивать риски и заранее "
                            "продумывать запасные варианты;</li><li>рассказывать жителям о ходе "
                            "проекта и его итогах.</li></ol>"
                        ),
                    ),
                    (
                        "quote",
                        {
                            "text": (
                                "Хороший проект видно из окна: вчера улица была тёмной, а сегодня "
                                "на ней горят фонари."
                            ),
                            "attribution": "Ерлан Оспанов, тренер-консультант",
                        },
                    ),
                    (
                        "paragraph",
                        (
                            "<p>К концу модуля каждый участник набросал первый проект для своего "
                            "села. Эти наработки станут предметом обсуждения на итоговых занятиях. "
                            "Тренеры дадут отзыв по каждому наброску и помогут довести его до "
                            "плана, который можно начать выполнять сразу после возвращения "
                            "домой.</p>"
                        ),
                    ),
                ],
            },
            "kk": {
                "title": "Жобаларды басқару: бұл модульге неге ерекше мән берілді",
                "lead": (
                    "Ауыл әкімдеріне арналған бағдарламаның он бір модулінің ішінде жобаларды "
                    "басқару модуліне ерекше салмақ берілді. Жобалық тәсілдің ауыл үшін неге "
                    "маңызды екенін түсіндіреміз."
                ),
                "tags": ["жобаларды басқару", "оқыту", "әкімдер"],
                "cover_caption": "Тыңдаушылар флипчартта жоба жоспарын құрып жатыр",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>4–22 қазан аралығында Академияның Ақмола облысындағы филиалында "
                            "өтіп жатқан бағдарлама он бір модульді қамтиды. Бағдарлама авторлары "
                            "солардың бірін — <b>жобаларды басқару</b> модулін — ерекше бөліп "
                            "көрсетті. Себебі қарапайым: жоба нақты мәселені қысқа мерзімде шешуге "
                            "мүмкіндік береді. Ал ауыл тұрғындары үшін ең маңыздысы — нәтижені өз "
                            "көзімен көру.</p>"
                        ),
                    ),
                    ("heading", "Шексіз жоспардың орнына — жоба"),
                    (
                        "paragraph",
                        (
                            "<p>Ауыл әкімінің міндеті көп, ал қаржы мен уақыт аз. Жобалық тәсіл "
                            "бір түсінікті мәселені, мысалы, көше жарығын, балалар алаңын жөндеуді "
                            "немесе қоқыс шығаруды таңдап, оны басынан аяғына дейін шешуге "
                            "көмектеседі. Жобаның мақсаты, мерзімі, бюджеті, жауаптылары және "
                            "тұрғындар көзімен көретін өлшенетін нәтижесі болады.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Сабақтарда тыңдаушылар мыналарды үйренді:</p><ol><li>мәселені "
                            "шешуге болатындай етіп тұжырымдау;</li><li>жұмысты кезеңдерге бөліп, "
                            "жауаптыларды белгілеу;</li><li>тәуекелдерді бағалап, қосалқы "
                            "нұсқаларды алдын ала ойластыру;</li><li>тұрғындарға жобаның барысы "
                            "мен қорытындысы туралы айтып беру.</li></ol>"
                        ),
                    ),
                    (
                        "quote",
                        {
                            "text": (
                                "Жақсы жоба терезеден көрінеді: кеше көше қараңғы еді, бүгін онда "
                                "шамдар жанып тұр."
                            ),
                            "attribution": "Ерлан Оспанов, тренер-консультант",
                        },
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Модуль соңында әр қатысушы өз ауылына арналған алғашқы жобаның "
                            "нобайын жасады. Бұл әзірлемелер қорытынды сабақтарда талқыланады. "
                            "Тренерлер әр нобайға пікір білдіріп, оны ауылға оралған соң іске "
                            "асыруға болатындай нақтылауға көмектеседі.</p>"
                        ),
                    ),
                ],
            },
            "en": {
                "title": "Project management: why this module carries special weight",
                "lead": (
                    "Of the eleven modules in the programme for rural akims, project management "
                    "was given special weight. Here is why a project approach matters so much in a "
                    "village."
                ),
                "tags": ["project management", "training", "akims"],
                "cover_caption": "Trainees sketching a project plan on a flip chart",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>The programme running at the Academy's branch in Akmola Region "
                            "from 4 to 22 October has eleven modules. Its authors singled out one "
                            "of them: <b>project management</b>. The reason is simple: a project "
                            "lets you solve a concrete problem in a short time.</p>"
                        ),
                    ),
                    ("heading", "A project instead of an endless plan"),
                    (
                        "paragraph",
                        (
                            "<p>A rural akim has many tasks and little money or time. A project "
                            "approach helps pick one clear problem, such as street lighting, a "
                            "playground in need of repair or rubbish collection, and solve it from "
                            "start to finish. A project has a goal, a deadline, a budget, named "
                            "people responsible and a measurable result that residents can see.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>In class, trainees learned to:</p><ol><li>state a problem in a way "
                            "that makes it solvable;</li><li>break the work into stages and assign "
                            "responsibility;</li><li>assess risks and think through fallback "
                            "options in advance;</li><li>tell residents how the project is going "
                            "and what it achieved.</li></ol>"
                        ),
                    ),
                    (
                        "quote",
                        {
                            "text": (
                                "You can see a good project from your window: yesterday the street "
                                "was dark, today the lamps are on."
                            ),
                            "attribution": "Yerlan Ospanov, trainer-consultant",
                        },
                    ),
                    (
                        "paragraph",
                        (
                            "<p>By the end of the module every participant had sketched a first "
                            "project for their own village. These drafts will be discussed in the "
                            "closing sessions.</p>"
                        ),
                    ),
                ],
            },
        },
    },
    {
        "slug": "akmola-training-completed",
        "date": "2021-10-22",
        "category": "seminars",
        "authors": ["press", "trainer"],
        "regions": ["akmola"],
        "cover": {"motif": "handshake", "colour": "#4a3b8f"},
        "translations": {
            "ru": {
                "title": "Завершилось трёхнедельное обучение сельских акимов в Акмолинской области",
                "lead": (
                    "22 октября в филиале Академии государственного управления в Акмолинской "
                    "области подвели итоги программы для сельских акимов, избранных летом 2021 "
                    "года."
                ),
                "tags": ["обучение", "акимы", "бюджет", "управление проектами"],
                "cover_caption": "Итоговое занятие программы в Акмолинском филиале",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>С 4 по 22 октября 2021 года новые сельские акимы учились в филиале "
                            "Академии государственного управления в Акмолинской области. За три "
                            "недели слушатели прошли одиннадцать модулей — от стратегических "
                            "документов страны до социальных сетей и управления проектами.</p>"
                        ),
                    ),
                    ("heading", "Как проходили занятия"),
                    (
                        "paragraph",
                        (
                            "<p>Занятия вели сертифицированные тренеры-консультанты и практики, "
                            "знающие местное управление изнутри. Лекций было немного: большую "
                            "часть времени слушатели решали кейсы, работали в группах и разбирали "
                            "вопросы из собственной практики. Больше всего обсуждений вызвали "
                            "бюджет села, государственные закупки и налоговые поступления.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Отдельные занятия были посвящены Административному "
                            "процедурно-процессуальному кодексу и принципу «Слышащего "
                            "государства». Акимы учились отвечать на обращения жителей вовремя и "
                            "так, чтобы ответ был понятен человеку без юридического "
                            "образования.</p>"
                        ),
                    ),
                    (
                        "quote",
                        {
                            "text": (
                                "Раньше я думал, что бюджет — это дело района. Теперь понимаю, что "
                                "могу сам планировать расходы села и объяснять их людям."
                            ),
                            "attribution": "Слушатель программы, аким села",
                        },
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Опыт этой программы ляжет в основу онлайн-курса, который позволит "
                            "учиться и тем акимам, кто не может надолго уехать из своего села. "
                            "Слушатели увезли домой не только конспекты, но и контакты друг друга: "
                            "коллеги договорились и дальше обмениваться опытом.</p>"
                        ),
                    ),
                ],
            },
            "kk": {
                "title": "Ақмола облысында ауыл әкімдерін үш апталық оқыту аяқталды",
                "lead": (
                    "22 қазанда Мемлекеттік басқару академиясының Ақмола облысындағы филиалында "
                    "2021 жылдың жазында сайланған ауыл әкімдеріне арналған бағдарламаның "
                    "қорытындысы шығарылды."
                ),
                "tags": ["оқыту", "әкімдер", "бюджет", "жобаларды басқару"],
                "cover_caption": "Академияның Ақмола филиалындағы қорытынды сабақ",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>2021 жылғы 4–22 қазан аралығында жаңа ауыл әкімдері Мемлекеттік "
                            "басқару академиясының Ақмола облысындағы филиалында оқыды. Үш аптада "
                            "тыңдаушылар он бір модульден өтті: елдің стратегиялық құжаттарынан "
                            "бастап әлеуметтік желілер мен жобаларды басқаруға дейін.</p>"
                        ),
                    ),
                    ("heading", "Сабақтар қалай өтті"),
                    (
                        "paragraph",
                        (
                            "<p>Сабақтарды жергілікті басқаруды іштей жақсы білетін "
                            "сертификатталған тренер-консультанттар мен практиктер жүргізді. "
                            "Дәрістер аз болды: уақыттың басым бөлігінде тыңдаушылар кейстер "
                            "шешіп, топпен жұмыс істеп, өз тәжірибесінен туған сұрақтарды талдады. "
                            "Ең көп талқыланған тақырыптар — ауыл бюджеті, мемлекеттік сатып алу "
                            "және салық түсімдері. Тыңдаушылар бір-бірінің ауылындағы жағдайды "
                            "салыстырып, ортақ шешімдер іздеді.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Жеке сабақтар Әкімшілік рәсімдік-процестік кодекске және «Халық "
                            "үніне құлақ асатын мемлекет» қағидатына арналды. Әкімдер тұрғындардың "
                            "өтініштеріне уақытында әрі заңгерлік білімі жоқ адамға түсінікті "
                            "тілмен жауап беруді үйренді.</p>"
                        ),
                    ),
                    (
                        "quote",
                        {
                            "text": (
                                "Бұрын бюджет — ауданның ісі деп ойлайтынмын. Енді ауылдың "
                                "шығындарын өзім жоспарлап, оны адамдарға түсіндіре алатынымды "
                                "білемін."
                            ),
                            "attribution": "Бағдарлама тыңдаушысы, ауыл әкімі",
                        },
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Осы бағдарламаның тәжірибесі онлайн-курсқа негіз болады. Ол "
                            "ауылынан ұзақ уақытқа кете алмайтын әкімдерге де оқуға мүмкіндік "
                            "береді. Тыңдаушылар үйлеріне тек конспект қана емес, бір-бірінің "
                            "байланыс деректерін де ала кетті: әріптестер тәжірибе алмасуды "
                            "жалғастыруға уағдаласты.</p>"
                        ),
                    ),
                ],
            },
            "en": {
                "title": "Three-week training for rural akims ends in Akmola Region",
                "lead": (
                    "On 22 October the Academy of Public Administration's branch in Akmola Region "
                    "wrapped up its programme for the rural akims elected in the summer of 2021."
                ),
                "tags": ["training", "akims", "budget", "project management"],
                "cover_caption": "Closing session of the programme at the Akmola branch",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>From 4 to 22 October 2021 newly elected rural akims studied at the "
                            "Academy of Public Administration's branch in Akmola Region. Over "
                            "three weeks they worked through eleven modules, from the country's "
                            "strategic documents to social media and project management.</p>"
                        ),
                    ),
                    ("heading", "How the classes worked"),
                    (
                        "paragraph",
                        (
                            "<p>Sessions were led by certified trainer-consultants and "
                            "practitioners who know local government from the inside. There were "
                            "few lectures: most of the time trainees solved cases, worked in "
                            "groups and unpicked questions from their own work. The village "
                            "budget, public procurement and tax revenues prompted the liveliest "
                            "discussion.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Separate sessions dealt with the Administrative Procedure Code and "
                            "the idea of a “hearing state”. The akims practised answering "
                            "residents' requests on time and in words that make sense to someone "
                            "without legal training.</p>"
                        ),
                    ),
                    (
                        "quote",
                        {
                            "text": (
                                "I used to think the budget was the district's business. Now I "
                                "understand that I can plan the village's spending myself and "
                                "explain it to people."
                            ),
                            "attribution": "Programme participant, village akim",
                        },
                    ),
                    (
                        "paragraph",
                        (
                            "<p>What was learned on this programme will feed into an online "
                            "course, so that akims who cannot leave their villages for long can "
                            "study too. The trainees went home with more than their notes: they "
                            "swapped contacts and agreed to keep sharing experience.</p>"
                        ),
                    ),
                ],
            },
        },
    },
    {
        "slug": "eleven-module-curriculum",
        "date": "2022-02-15",
        "category": "announcements",
        "authors": ["methodologist"],
        "regions": [],
        "cover": {"motif": "documents", "colour": "#5d4037"},
        "translations": {
            "ru": {
                "title": "Одиннадцать модулей: из чего состоит программа для сельских акимов",
                "lead": (
                    "Публикуем полный перечень модулей программы обучения сельских акимов. Каждый "
                    "модуль посвящён одной теме, с которой аким имеет дело в повседневной работе."
                ),
                "tags": ["обучение", "бюджет", "закупки", "управление проектами"],
                "cover_caption": "Учебные материалы программы для сельских акимов",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>Программа, по которой осенью 2021 года учились новые сельские "
                            "акимы в Акмолинском филиале Академии, состоит из одиннадцати модулей. "
                            "Каждый модуль — отдельная тема со своими занятиями и заданиями.</p>"
                        ),
                    ),
                    ("heading", "Перечень модулей"),
                    (
                        "paragraph",
                        (
                            "<ol><li>Стратегические и программные документы Республики Казахстан: "
                            "национальные приоритеты.</li><li>Местное самоуправление в Казахстане: "
                            "текущие реформы.</li><li>Планирование и управление бюджетом села "
                            "(четвёртый уровень бюджета).</li><li>Государственные "
                            "закупки.</li><li>Управление коммунальным "
                            "имуществом.</li><li>Управление налоговыми поступлениями бюджета "
                            "села.</li><li>Административный процедурно-процессуальный кодекс: "
                            "нормы на практике.</li><li>«Слышащее государство»: эффективная "
                            "коммуникация с гражданами.</li><li>Эффективное управление "
                            "командой.</li><li>Социальные сети и SMM в работе с "
                            "населением.</li><li>Управление проектами.</li></ol>"
                        ),
                    ),
                    ("heading", "Почему именно такой порядок"),
                    (
                        "paragraph",
                        (
                            "<p>Первые модули дают общую картину: куда движется страна и какое "
                            "место в этом занимает местное самоуправление. Затем идут финансы и "
                            "имущество — без них невозможно управлять селом. Модули о "
                            "коммуникации, команде и социальных сетях помогают работать с людьми. "
                            "Завершает программу управление проектами. Этому модулю придан особый "
                            "вес, потому что проект позволяет решить конкретную проблему в "
                            "короткий срок и показать жителям результат.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Сейчас методисты и тренеры адаптируют материалы, чтобы каждый "
                            "модуль можно было пройти и онлайн, с телефона или старого ноутбука. О "
                            "запуске онлайн-курса мы сообщим отдельно.</p>"
                        ),
                    ),
                ],
            },
        },
    },
    {
        "slug": "west-kazakhstan-akims-forum",
        "date": "2022-04-20",
        "category": "forums",
        "authors": ["press", "methodologist"],
        "regions": ["west-kazakhstan"],
        "cover": {"motif": "forum", "colour": "#00695c"},
        "translations": {
            "ru": {
                "title": (
                    "Форум сельских акимов Западно-Казахстанской области: законы, закупки, "
                    "инвестиции"
                ),
                "lead": (
                    "На региональный форум собрались сельские акимы Западно-Казахстанской области. "
                    "В регионе избраны 143 из 150 сельских акимов, и вопросы у многих из них "
                    "схожие."
                ),
                "tags": ["форум", "закупки", "бюджет", "инвестиции"],
                "cover_caption": "Участники регионального форума акимов",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>В Западно-Казахстанской области прошёл региональный форум сельских "
                            "акимов. Для региона эта встреча особенно важна: здесь <b>143 из "
                            "150</b> сельских акимов уже избраны жителями, и многие из них только "
                            "недавно приступили к работе.</p>"
                        ),
                    ),
                    ("heading", "О чём говорили"),
                    (
                        "paragraph",
                        (
                            "<p>Повестка форума была сугубо практической:</p><ul><li>изменения в "
                            "законодательстве, которые касаются работы "
                            "акима;</li><li>государственные закупки и ошибки, которые при них "
                            "допускают чаще всего;</li><li>привлечение инвестиций в сельские "
                            "округа;</li><li>четвёртый уровень бюджета и самостоятельное "
                            "планирование расходов села;</li><li>методическая помощь "
                            "акимам.</li></ul>"
                        ),
                    ),
                    ("heading", "Связь — тоже вопрос управления"),
                    (
                        "paragraph",
                        (
                            "<p>Одна из тем, прозвучавших на форуме, — качество интернета. О "
                            "слабой связи сообщили <b>357 сёл</b> области. Для онлайн-обучения это "
                            "серьёзное ограничение, поэтому наш курс проектируется так, чтобы "
                            "работать на медленном и нестабильном соединении: лёгкие страницы, "
                            "минимум тяжёлого видео и сохранение прогресса, если связь "
                            "оборвалась.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>В кулуарах участники делились опытом: как готовить документы для "
                            "закупок, как объяснять жителям, на что расходуются средства бюджета "
                            "села, как находить местных предпринимателей, готовых вложиться в "
                            "развитие округа. Многие отметили, что такие встречи помогают не "
                            "чувствовать себя один на один с новыми обязанностями.</p>"
                        ),
                    ),
                    (
                        "quote",
                        {
                            "text": (
                                "Если аким может открыть урок с телефона у себя в селе, значит, "
                                "курс сделан правильно."
                            ),
                            "attribution": "Наталья Ковалёва, методист",
                        },
                    ),
                ],
            },
            "kk": {
                "title": (
                    "Батыс Қазақстан облысы ауыл әкімдерінің форумы: заңнама, сатып алу, инвестиция"
                ),
                "lead": (
                    "Өңірлік форумға Батыс Қазақстан облысының ауыл әкімдері жиналды. Облыста 150 "
                    "ауыл әкімінің 143-і сайланған, олардың көбінің алдында ұқсас сұрақтар тұр."
                ),
                "tags": ["форум", "сатып алу", "бюджет", "инвестиция"],
                "cover_caption": "Өңірлік әкімдер форумының қатысушылары",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>Батыс Қазақстан облысында ауыл әкімдерінің өңірлік форумы өтті. "
                            "Өңір үшін бұл кездесудің маңызы зор: мұнда <b>150 ауыл әкімінің "
                            "143-ін</b> тұрғындардың өздері сайлаған. Сайланған әкімдердің көбі "
                            "жұмысқа жақында ғана кірісті.</p>"
                        ),
                    ),
                    ("heading", "Не талқыланды"),
                    (
                        "paragraph",
                        (
                            "<p>Форумның күн тәртібі таза практикалық сипатта "
                            "болды:</p><ul><li>әкім жұмысына қатысты заңнамадағы "
                            "өзгерістер;</li><li>мемлекеттік сатып алу және оны өткізгенде жиі "
                            "жіберілетін қателер;</li><li>ауылдық округтерге инвестиция "
                            "тарту;</li><li>бюджеттің төртінші деңгейі және ауыл шығындарын дербес "
                            "жоспарлау;</li><li>әкімдерге әдістемелік көмек.</li></ul>"
                        ),
                    ),
                    ("heading", "Байланыс та — басқару мәселесі"),
                    (
                        "paragraph",
                        (
                            "<p>Форумда көтерілген тақырыптардың бірі — интернет сапасы. Облыстағы "
                            "<b>357 ауыл</b> байланыстың нашар екенін хабарлады. Онлайн оқу үшін "
                            "бұл — елеулі кедергі, сондықтан біздің курсымыз баяу әрі тұрақсыз "
                            "байланыста да жұмыс істейтіндей етіп жасалып жатыр: беттер жеңіл, "
                            "ауыр бейне аз, ал байланыс үзілсе, оқу барысы сақталады.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Үзіліс кезінде қатысушылар тәжірибе алмасты: сатып алуға "
                            "құжаттарды қалай дайындау керек, ауыл бюджетінің қаражаты неге "
                            "жұмсалатынын тұрғындарға қалай түсіндіру керек, округтің дамуына "
                            "қаржы салуға дайын жергілікті кәсіпкерлерді қалай табуға болады. "
                            "Көпшілігі мұндай кездесулер жаңа міндеттермен жалғыз қалмауға "
                            "көмектесетінін атап өтті.</p>"
                        ),
                    ),
                    (
                        "quote",
                        {
                            "text": (
                                "Әкім өз ауылында отырып, телефоннан сабақты аша алса, демек, курс "
                                "дұрыс жасалған."
                            ),
                            "attribution": "Наталья Ковалёва, әдіскер",
                        },
                    ),
                ],
            },
            "en": {
                "title": "West Kazakhstan rural akims' forum: laws, procurement, investment",
                "lead": (
                    "Rural akims of West Kazakhstan Region met at a regional forum. In the region "
                    "143 of the 150 rural akims are now elected, and many of them face similar "
                    "questions."
                ),
                "tags": ["forum", "procurement", "budget", "investment"],
                "cover_caption": "Participants of the regional akims' forum",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>A regional forum of rural akims took place in West Kazakhstan "
                            "Region. The meeting matters a great deal there: <b>143 of the "
                            "region's 150</b> rural akims have already been elected by "
                            "residents.</p>"
                        ),
                    ),
                    ("heading", "On the agenda"),
                    (
                        "paragraph",
                        (
                            "<p>The agenda was strictly practical:</p><ul><li>changes in "
                            "legislation that affect an akim's work;</li><li>public procurement "
                            "and the mistakes most often made in it;</li><li>attracting investment "
                            "to rural districts;</li><li>the fourth level of the budget and "
                            "planning village spending independently;</li><li>methodical guidance "
                            "for akims.</li></ul>"
                        ),
                    ),
                    ("heading", "Connectivity is a management issue too"),
                    (
                        "paragraph",
                        (
                            "<p>One topic raised at the forum was internet quality: <b>357 "
                            "villages</b> in the region reported a poor connection. That is a "
                            "serious obstacle to online learning, which is why our course is being "
                            "designed to work on slow and unstable connections, with light pages, "
                            "little heavy video and progress that is kept if the connection "
                            "drops.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Between sessions participants swapped experience: how to prepare "
                            "procurement documents, how to explain to residents what the village "
                            "budget is spent on, how to find local entrepreneurs willing to invest "
                            "in the district. Many said that meetings like this help them feel "
                            "less alone with their new duties.</p>"
                        ),
                    ),
                    (
                        "quote",
                        {
                            "text": (
                                "If an akim can open a lesson on a phone in their own village, the "
                                "course has been built right."
                            ),
                            "attribution": "Natalya Kovaleva, methodologist",
                        },
                    ),
                ],
            },
        },
    },
    {
        "slug": "online-course-launch",
        "date": "2023-03-01",
        "category": "announcements",
        "authors": ["methodologist", "press"],
        "regions": [],
        "cover": {"motif": "laptop", "colour": "#1565c0"},
        "translations": {
            "ru": {
                "title": "Запускаем онлайн-курс для сельских акимов",
                "lead": (
                    "Программа для сельских акимов теперь доступна онлайн. Учиться можно с "
                    "телефона или старого ноутбука, в своём темпе, на казахском или русском языке."
                ),
                "tags": ["онлайн-курс", "обучение", "сертификат"],
                "cover_caption": "Урок онлайн-курса на экране ноутбука",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>Академия государственного управления открывает онлайн-курс для "
                            "сельских акимов, их заместителей и сотрудников аппаратов. В основе "
                            "курса — одиннадцать модулей очной программы, которую акимы проходили "
                            "в Акмолинском филиале Академии в 2021 году.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Онлайн-формат решает главную проблему очного обучения: акиму не "
                            "нужно уезжать из села на несколько недель. Заниматься можно вечером, "
                            "в перерыве между приёмами граждан или в дороге, а возвращаться к "
                            "трудным темам — столько раз, сколько потребуется.</p>"
                        ),
                    ),
                    ("heading", "Как устроено обучение"),
                    (
                        "paragraph",
                        (
                            "<ul><li>Каждый модуль состоит из коротких уроков и небольших тестов "
                            "для самопроверки.</li><li>В конце курса слушатель сдаёт итоговый "
                            "тест.</li><li>Прогресс сохраняется, его видно в личном "
                            "кабинете.</li><li>После успешного завершения курса можно скачать "
                            "сертификат.</li></ul>"
                        ),
                    ),
                    ("heading", "С расчётом на медленный интернет"),
                    (
                        "paragraph",
                        (
                            "<p>Мы знаем, что во многих сёлах связь слабая и нестабильная. Поэтому "
                            "страницы курса лёгкие, а уроки открываются даже на простом телефоне. "
                            "Если соединение прервалось, пройденный материал не потеряется, и урок "
                            "можно продолжить позже. Вместо тяжёлых видеозаписей чаще используются "
                            "текст, схемы и короткие аудиофрагменты.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Уроки и тесты готовят тренеры Академии и её региональных филиалов, "
                            "а методисты проверяют каждый материал перед публикацией. Учиться "
                            "можно на казахском или русском языке, переключаясь между ними, когда "
                            "удобно.</p>"
                        ),
                    ),
                ],
            },
            "kk": {
                "title": "Ауыл әкімдеріне арналған онлайн-курсты іске қосамыз",
                "lead": (
                    "Ауыл әкімдеріне арналған бағдарлама енді онлайн қолжетімді. Телефоннан немесе "
                    "ескі ноутбуктен, өз қарқыныңызбен, қазақ не орыс тілінде оқуға болады."
                ),
                "tags": ["онлайн-курс", "оқыту", "сертификат"],
                "cover_caption": "Ноутбук экранындағы онлайн-курс сабағы",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>Мемлекеттік басқару академиясы ауыл әкімдеріне, олардың "
                            "орынбасарларына және аппарат қызметкерлеріне арналған онлайн-курсты "
                            "ашады. Курстың негізінде әкімдер 2021 жылы Академияның Ақмола "
                            "филиалында өткен бетпе-бет бағдарламаның он бір модулі жатыр.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Онлайн формат бетпе-бет оқудың басты қиындығын шешеді: әкімге "
                            "ауылдан бірнеше аптаға кетудің қажеті жоқ. Оқу кестесін әркім өзі "
                            "белгілейді. Кешке, азаматтарды қабылдаудың арасында немесе жолда "
                            "оқуға, ал қиын тақырыптарға қажет болғанша қайта оралуға болады.</p>"
                        ),
                    ),
                    ("heading", "Оқу қалай ұйымдастырылған"),
                    (
                        "paragraph",
                        (
                            "<ul><li>Әр модуль қысқа сабақтардан және өзін-өзі тексеруге арналған "
                            "шағын тесттерден тұрады.</li><li>Курс соңында тыңдаушы қорытынды тест "
                            "тапсырады.</li><li>Оқу барысы сақталады және жеке кабинетте көрініп "
                            "тұрады.</li><li>Курсты сәтті аяқтаған соң сертификатты жүктеп алуға "
                            "болады.</li></ul>"
                        ),
                    ),
                    ("heading", "Баяу интернетті ескере отырып"),
                    (
                        "paragraph",
                        (
                            "<p>Көптеген ауылда байланыстың әлсіз әрі тұрақсыз екенін білеміз. "
                            "Сондықтан курс беттері жеңіл, ал сабақтар қарапайым телефонда да "
                            "ашылады. Байланыс үзіліп қалса, өтілген материал жоғалмайды, сабақты "
                            "кейін жалғастыруға болады. Ауыр бейнежазбалардың орнына мәтін, сызба "
                            "және қысқа аудио жиі қолданылады.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Сабақтар мен тесттерді Академия мен оның өңірлік филиалдарының "
                            "тренерлері дайындайды, ал әдіскерлер әр материалды жарияламас бұрын "
                            "тексереді. Қазақ немесе орыс тілінде оқып, қажет кезде тілді "
                            "ауыстыруға болады.</p>"
                        ),
                    ),
                ],
            },
            "en": {
                "title": "Launching the online course for rural akims",
                "lead": (
                    "The programme for rural akims is now available online. You can study from a "
                    "phone or an old laptop, at your own pace, in Kazakh or Russian."
                ),
                "tags": ["online course", "training", "certificate"],
                "cover_caption": "A lesson of the online course on a laptop screen",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>The Academy of Public Administration is opening an online course "
                            "for rural akims, their deputies and their staff. It is built on the "
                            "eleven modules of the classroom programme that akims took at the "
                            "Academy's Akmola branch in 2021.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>The online format removes the main difficulty of classroom "
                            "training: an akim no longer has to leave the village for weeks. You "
                            "can study in the evening, between meetings with residents or on the "
                            "road, and come back to the hard topics as often as you need.</p>"
                        ),
                    ),
                    ("heading", "How the course works"),
                    (
                        "paragraph",
                        (
                            "<ul><li>Each module is made up of short lessons and small self-check "
                            "quizzes.</li><li>At the end of the course learners sit a final "
                            "test.</li><li>Your progress is saved and shown in your personal "
                            "account.</li><li>Once you complete the course, you can download a "
                            "certificate.</li></ul>"
                        ),
                    ),
                    ("heading", "Made for slow internet"),
                    (
                        "paragraph",
                        (
                            "<p>We know that in many villages the connection is weak and "
                            "unreliable. So the course pages are light, and lessons open even on a "
                            "basic phone. If the connection drops, you will not lose what you have "
                            "already done and can pick the lesson up again later. Instead of heavy "
                            "video, lessons mostly rely on text, diagrams and short audio "
                            "clips.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Lessons and quizzes are written by trainers of the Academy and its "
                            "regional branches, and methodologists review every item before it is "
                            "published. You can study in Kazakh or Russian and switch between them "
                            "whenever it suits you.</p>"
                        ),
                    ),
                ],
            },
        },
    },
    {
        "slug": "how-to-verify-a-certificate",
        "date": "2024-02-12",
        "category": "announcements",
        "authors": ["press"],
        "regions": [],
        "cover": {"motif": "documents", "colour": "#37474f"},
        "translations": {
            "ru": {
                "title": "Как проверить сертификат выпускника курса",
                "lead": (
                    "Любой человек может убедиться, что сертификат об окончании курса подлинный. "
                    "Учётная запись для этого не нужна: достаточно номера сертификата или его "
                    "QR-кода."
                ),
                "tags": ["сертификат", "онлайн-курс", "проверка"],
                "cover_caption": "QR-код на сертификате выпускника",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>Сертификат об окончании курса для сельских акимов часто просят "
                            "показать работодатели, коллеги или журналисты. Чтобы никому не "
                            "приходилось звонить в Академию и ждать ответа, мы сделали проверку "
                            "сертификатов открытой для всех прямо на сайте.</p>"
                        ),
                    ),
                    ("heading", "Два способа проверки"),
                    (
                        "paragraph",
                        (
                            "<ol><li><b>По QR-коду.</b> Наведите камеру телефона на QR-код в "
                            "сертификате и откройте ссылку: появится страница с результатом "
                            "проверки.</li><li><b>По номеру.</b> Введите номер сертификата в форму "
                            "проверки на сайте.</li></ol>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>На странице проверки видно, действителен ли сертификат, кому и за "
                            "какой курс он выдан. Регистрироваться и входить в систему не "
                            "нужно.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Совет работодателям и партнёрам: проверяйте сам сертификат по "
                            "QR-коду или номеру, а не полагайтесь на присланную копию. Копию легко "
                            "исправить, а запись в системе Академии — нет.</p>"
                        ),
                    ),
                    ("heading", "Если сертификат отозван или переоформлен"),
                    (
                        "paragraph",
                        (
                            "<p>Сертификаты выдаёт регистратор Академии. Он же может переоформить "
                            "сертификат, например, чтобы исправить ошибку в имени, или отозвать "
                            "его. Отозванный сертификат при проверке не будет показан как "
                            "действительный. Если результат проверки вызывает у вас вопросы, "
                            "обратитесь в Академию. Владелец сертификата, заметивший ошибку в "
                            "своих данных, тоже может попросить регистратора её исправить.</p>"
                        ),
                    ),
                ],
            },
            "kk": {
                "title": "Курс түлегінің сертификатын қалай тексеруге болады",
                "lead": (
                    "Курсты бітіргені туралы сертификаттың түпнұсқа екеніне кез келген адам көз "
                    "жеткізе алады. Ол үшін тіркелгі қажет емес: сертификат нөмірі немесе оның "
                    "QR-коды жеткілікті."
                ),
                "tags": ["сертификат", "онлайн-курс", "тексеру"],
                "cover_caption": "Түлек сертификатындағы QR-код",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>Ауыл әкімдеріне арналған курсты бітіргені туралы сертификатты "
                            "жұмыс берушілер, әріптестер немесе журналистер жиі сұрайды. Ешкім "
                            "Академияға қоңырау шалып, жауап күтіп отырмауы үшін біз "
                            "сертификаттарды тексеруді сайтта барлығына ашық еттік. Бұл әсіресе "
                            "жаңа жұмысқа орналасқанда немесе құжат тапсырғанда ыңғайлы.</p>"
                        ),
                    ),
                    ("heading", "Тексерудің екі тәсілі"),
                    (
                        "paragraph",
                        (
                            "<ol><li><b>QR-код арқылы.</b> Телефон камерасын сертификаттағы "
                            "QR-кодқа бағыттап, сілтемені ашыңыз: тексеру нәтижесі көрсетілген бет "
                            "ашылады.</li><li><b>Нөмір арқылы.</b> Сертификат нөмірін сайттағы "
                            "тексеру нысанына енгізіңіз.</li></ol>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Тексеру бетінде сертификаттың жарамды екені не жарамсыз екені, "
                            "оның кімге және қандай курс үшін берілгені көрсетіледі. Тіркелудің "
                            "де, жүйеге кірудің де қажеті жоқ.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Жұмыс берушілер мен серіктестерге кеңес: жіберілген көшірмеге "
                            "сенбей, сертификаттың өзін QR-код немесе нөмір арқылы тексеріңіз. "
                            "Көшірмені өзгерту оңай, ал Академия жүйесіндегі жазбаны өзгерту "
                            "мүмкін емес.</p>"
                        ),
                    ),
                    ("heading", "Сертификаттың күші жойылса немесе ол қайта ресімделсе"),
                    (
                        "paragraph",
                        (
                            "<p>Сертификаттарды Академияның тіркеушісі береді. Ол сертификатты "
                            "қайта ресімдей алады, мысалы, аты-жөніндегі қатені түзету үшін, "
                            "немесе оның күшін жоя алады. Күші жойылған сертификат тексеру кезінде "
                            "жарамды болып көрсетілмейді. Тексеру нәтижесіне қатысты сұрағыңыз "
                            "болса, Академияға хабарласыңыз. Сертификат иесі өз деректерінен қате "
                            "тапса, оны түзету үшін де тіркеушіге жүгінуге болады.</p>"
                        ),
                    ),
                ],
            },
            "en": {
                "title": "How to check a course graduate's certificate",
                "lead": (
                    "Anyone can confirm that a course certificate is genuine. No account is "
                    "needed: the certificate number or its QR code is enough."
                ),
                "tags": ["certificate", "online course", "verification"],
                "cover_caption": "The QR code on a graduate's certificate",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>Employers, colleagues and journalists often ask to see the "
                            "certificate a rural akim received for completing the course. So that "
                            "nobody has to phone the Academy and wait for an answer, we have made "
                            "certificate checks open to everyone on the website.</p>"
                        ),
                    ),
                    ("heading", "Two ways to check"),
                    (
                        "paragraph",
                        (
                            "<ol><li><b>By QR code.</b> Point your phone camera at the QR code on "
                            "the certificate and open the link: a page with the result of the "
                            "check will appear.</li><li><b>By number.</b> Enter the certificate "
                            "number in the verification form on the website.</li></ol>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>The verification page shows whether the certificate is valid, who "
                            "it was issued to and for which course. There is no need to register "
                            "or sign in.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>A tip for employers and partners: check the certificate itself by "
                            "its QR code or number rather than relying on a copy sent to you. A "
                            "copy is easy to alter; the record in the Academy's system is not.</p>"
                        ),
                    ),
                    ("heading", "If a certificate is revoked or reissued"),
                    (
                        "paragraph",
                        (
                            "<p>Certificates are issued by the Academy's registrar, who can also "
                            "reissue a certificate, for instance to correct a misspelt name, or "
                            "revoke it. A revoked certificate will not be shown as valid when "
                            "checked. If the result of a check raises questions, please contact "
                            "the Academy. A certificate holder who spots a mistake in their "
                            "details can also ask the registrar to correct it.</p>"
                        ),
                    ),
                ],
            },
        },
    },
    {
        "slug": "new-cohort-2026",
        "date": "2026-08-24",
        "category": "announcements",
        "authors": ["methodologist"],
        "regions": [],
        "cover": {"motif": "village", "colour": "#8d6e63"},
        "translations": {
            "ru": {
                "title": "Открыт набор в новый поток онлайн-курса для сельских акимов",
                "lead": (
                    "Академия государственного управления приглашает сельских акимов, их "
                    "заместителей и сотрудников аппаратов в новый поток онлайн-курса 2026 года."
                ),
                "tags": ["онлайн-курс", "обучение", "акимы", "сертификат"],
                "cover_caption": "Сельская улица: в таких местах работают наши слушатели",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>Открыт набор в новый поток онлайн-курса для сельских акимов 2026 "
                            "года. Приглашаем тех, кто недавно вступил в должность, а также "
                            "заместителей акимов и сотрудников аппаратов, которым нужны "
                            "практические знания о бюджете, закупках и работе с жителями.</p>"
                        ),
                    ),
                    ("heading", "Как проходит обучение"),
                    (
                        "paragraph",
                        (
                            "<p>Слушатели объединяются в потоки по 40–50 человек. У каждого потока "
                            "есть тренер: он отвечает на вопросы, проверяет письменные задания и "
                            "следит за прогрессом группы. Учиться можно с телефона, в удобное "
                            "время, на казахском или русском языке. Курс завершается итоговым "
                            "тестом, после которого выдаётся сертификат с QR-кодом. Подлинность "
                            "сертификата любой желающий может проверить по его номеру или "
                            "QR-коду.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>В программе одиннадцать модулей: от национальных приоритетов и "
                            "реформы местного самоуправления до бюджета села, государственных "
                            "закупок, коммунального имущества и управления проектами.</p>"
                        ),
                    ),
                    ("heading", "Что понадобится"),
                    (
                        "paragraph",
                        (
                            "<ul><li>Телефон или компьютер с доступом в интернет; курс рассчитан и "
                            "на медленную связь.</li><li>Несколько часов в неделю на уроки и "
                            "задания.</li><li>Желание применить знания в своём селе и поделиться "
                            "опытом с коллегами по потоку.</li></ul>"
                        ),
                    ),
                    (
                        "contacts",
                        {
                            "title": "Вопросы о наборе",
                            "text": (
                                "Методический отдел онлайн-курса: study@example.org. В письме "
                                "укажите свой регион, сельский округ и должность."
                            ),
                        },
                    ),
                ],
            },
            "kk": {
                "title": "Ауыл әкімдеріне арналған онлайн-курстың жаңа легіне қабылдау басталды",
                "lead": (
                    "Мемлекеттік басқару академиясы ауыл әкімдерін, олардың орынбасарларын және "
                    "аппарат қызметкерлерін онлайн-курстың 2026 жылғы жаңа легіне шақырады."
                ),
                "tags": ["онлайн-курс", "оқыту", "әкімдер", "сертификат"],
                "cover_caption": "Ауыл көшесі: біздің тыңдаушылар осындай жерлерде жұмыс істейді",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>Ауыл әкімдеріне арналған онлайн-курстың 2026 жылғы жаңа легіне "
                            "қабылдау ашылды. Қызметке жақында кіріскен әкімдерді, сондай-ақ "
                            "бюджет, сатып алу және тұрғындармен жұмыс туралы практикалық білімді "
                            "қажет ететін орынбасарлар мен аппарат қызметкерлерін шақырамыз. "
                            "Ауылдан шықпай-ақ, күнделікті жұмыстан қол үзбей оқуға болады.</p>"
                        ),
                    ),
                    ("heading", "Оқу қалай өтеді"),
                    (
                        "paragraph",
                        (
                            "<p>Тыңдаушылар 40–50 адамнан тұратын лектерге біріктіріледі. Әр "
                            "лектің өз тренері болады: ол сұрақтарға жауап береді, жазбаша "
                            "тапсырмаларды тексереді және топтың оқу барысын қадағалайды. "
                            "Телефоннан, ыңғайлы уақытта, қазақ немесе орыс тілінде оқуға болады. "
                            "Курс қорытынды тестпен аяқталады, одан кейін QR-коды бар сертификат "
                            "беріледі. Сертификаттың түпнұсқа екенін кез келген адам нөмірі немесе "
                            "QR-коды арқылы тексере алады.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>Бағдарламада он бір модуль бар: ұлттық басымдықтар мен жергілікті "
                            "өзін-өзі басқару реформасынан бастап ауыл бюджетіне, мемлекеттік "
                            "сатып алуға, коммуналдық мүлікке және жобаларды басқаруға дейін.</p>"
                        ),
                    ),
                    ("heading", "Не қажет болады"),
                    (
                        "paragraph",
                        (
                            "<ul><li>Интернетке қосылған телефон немесе компьютер; курс баяу "
                            "байланысқа да бейімделген.</li><li>Сабақтар мен тапсырмаларға "
                            "аптасына бірнеше сағат.</li><li>Алған білімді өз ауылыңызда қолдануға "
                            "және лектегі әріптестеріңізбен тәжірибе бөлісуге ниет.</li></ul>"
                        ),
                    ),
                    (
                        "contacts",
                        {
                            "title": "Қабылдау туралы сұрақтар",
                            "text": (
                                "Онлайн-курстың әдістемелік бөлімі: study@example.org. Хатта "
                                "өңіріңізді, ауылдық округіңізді және лауазымыңызды көрсетіңіз."
                            ),
                        },
                    ),
                ],
            },
            "en": {
                "title": "Enrolment opens for a new cohort of the online course for rural akims",
                "lead": (
                    "The Academy of Public Administration invites rural akims, their deputies and "
                    "their staff to join a new 2026 cohort of the online course."
                ),
                "tags": ["online course", "training", "akims", "certificate"],
                "cover_caption": "A village street: the kind of place where our learners work",
                "body": [
                    (
                        "paragraph",
                        (
                            "<p>Enrolment is open for the 2026 cohort of the online course for "
                            "rural akims. We welcome akims who have recently taken office, as well "
                            "as deputies and staff who need practical knowledge of the budget, "
                            "procurement and working with residents.</p>"
                        ),
                    ),
                    ("heading", "How the course runs"),
                    (
                        "paragraph",
                        (
                            "<p>Learners are grouped into cohorts of 40–50 people. Each cohort has "
                            "a trainer who answers questions, marks written assignments and keeps "
                            "an eye on the group's progress. You can study from your phone, at a "
                            "time that suits you, in Kazakh or Russian. The course ends with a "
                            "final test, after which you receive a certificate with a QR code. "
                            "Anyone can check that the certificate is genuine by its number or QR "
                            "code.</p>"
                        ),
                    ),
                    (
                        "paragraph",
                        (
                            "<p>The programme has eleven modules, from national priorities and the "
                            "local self-government reform to the village budget, public "
                            "procurement, communal property and project management.</p>"
                        ),
                    ),
                    ("heading", "What you will need"),
                    (
                        "paragraph",
                        (
                            "<ul><li>A phone or computer with internet access; the course is "
                            "designed for slow connections too.</li><li>A few hours a week for "
                            "lessons and assignments.</li><li>The wish to put what you learn to "
                            "work in your own village.</li></ul>"
                        ),
                    ),
                    (
                        "contacts",
                        {
                            "title": "Questions about enrolment",
                            "text": (
                                "Online course methodology team: study@example.org. Please include "
                                "your region, rural district and position in your message."
                            ),
                        },
                    ),
                ],
            },
        },
    },
]
