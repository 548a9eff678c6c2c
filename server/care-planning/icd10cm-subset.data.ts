/**
 * A subset of ICD-10-CM for a talking-therapy practice, copied line for line (code, then its
 * description) from the CDC/NCHS "Code Descriptions in Tabular Order" file (icd10cm_codes, as
 * mirrored unchanged in lowlysre/icd-10-cm, scripts/icd10cm.txt, commit 1cc6fdf5). ICD-10-CM is
 * published by the US National Center for Health Statistics; as a work of the US government it is
 * in the public domain in the US (17 U.S.C. 105). Codes are written without their dot, as in the
 * source; `icd10cm.ts` adds it. Which codes are here, and why, is in server/care-planning/README.md.
 * Do not edit a description: billing and exports must carry the published text.
 */
export const ICD10CM_SUBSET_LINES = `
F1010 Alcohol abuse, uncomplicated
F1011 Alcohol abuse, in remission
F1020 Alcohol dependence, uncomplicated
F1021 Alcohol dependence, in remission
F1090 Alcohol use, unspecified, uncomplicated
F1091 Alcohol use, unspecified, in remission
F1110 Opioid abuse, uncomplicated
F1111 Opioid abuse, in remission
F1120 Opioid dependence, uncomplicated
F1121 Opioid dependence, in remission
F1190 Opioid use, unspecified, uncomplicated
F1191 Opioid use, unspecified, in remission
F1210 Cannabis abuse, uncomplicated
F1211 Cannabis abuse, in remission
F1220 Cannabis dependence, uncomplicated
F1221 Cannabis dependence, in remission
F1290 Cannabis use, unspecified, uncomplicated
F1291 Cannabis use, unspecified, in remission
F1310 Sedative, hypnotic or anxiolytic abuse, uncomplicated
F1311 Sedative, hypnotic or anxiolytic abuse, in remission
F1320 Sedative, hypnotic or anxiolytic dependence, uncomplicated
F1321 Sedative, hypnotic or anxiolytic dependence, in remission
F1390 Sedative, hypnotic, or anxiolytic use, unspecified, uncomplicated
F1391 Sedative, hypnotic or anxiolytic use, unspecified, in remission
F1410 Cocaine abuse, uncomplicated
F1411 Cocaine abuse, in remission
F1420 Cocaine dependence, uncomplicated
F1421 Cocaine dependence, in remission
F1490 Cocaine use, unspecified, uncomplicated
F1491 Cocaine use, unspecified, in remission
F1510 Other stimulant abuse, uncomplicated
F1511 Other stimulant abuse, in remission
F1520 Other stimulant dependence, uncomplicated
F1521 Other stimulant dependence, in remission
F1590 Other stimulant use, unspecified, uncomplicated
F1591 Other stimulant use, unspecified, in remission
F1610 Hallucinogen abuse, uncomplicated
F1611 Hallucinogen abuse, in remission
F1620 Hallucinogen dependence, uncomplicated
F1621 Hallucinogen dependence, in remission
F1690 Hallucinogen use, unspecified, uncomplicated
F1691 Hallucinogen use, unspecified, in remission
F17200 Nicotine dependence, unspecified, uncomplicated
F17201 Nicotine dependence, unspecified, in remission
F17210 Nicotine dependence, cigarettes, uncomplicated
F17211 Nicotine dependence, cigarettes, in remission
F1810 Inhalant abuse, uncomplicated
F1811 Inhalant abuse, in remission
F1820 Inhalant dependence, uncomplicated
F1821 Inhalant dependence, in remission
F1890 Inhalant use, unspecified, uncomplicated
F1891 Inhalant use, unspecified, in remission
F1910 Other psychoactive substance abuse, uncomplicated
F1911 Other psychoactive substance abuse, in remission
F1920 Other psychoactive substance dependence, uncomplicated
F1921 Other psychoactive substance dependence, in remission
F1990 Other psychoactive substance use, unspecified, uncomplicated
F1991 Other psychoactive substance use, unspecified, in remission
F200 Paranoid schizophrenia
F201 Disorganized schizophrenia
F202 Catatonic schizophrenia
F203 Undifferentiated schizophrenia
F205 Residual schizophrenia
F2081 Schizophreniform disorder
F2089 Other schizophrenia
F209 Schizophrenia, unspecified
F21 Schizotypal disorder
F22 Delusional disorders
F23 Brief psychotic disorder
F24 Shared psychotic disorder
F250 Schizoaffective disorder, bipolar type
F251 Schizoaffective disorder, depressive type
F258 Other schizoaffective disorders
F259 Schizoaffective disorder, unspecified
F28 Other psychotic disorder not due to a substance or known physiological condition
F29 Unspecified psychosis not due to a substance or known physiological condition
F3010 Manic episode without psychotic symptoms, unspecified
F3011 Manic episode without psychotic symptoms, mild
F3012 Manic episode without psychotic symptoms, moderate
F3013 Manic episode, severe, without psychotic symptoms
F302 Manic episode, severe with psychotic symptoms
F303 Manic episode in partial remission
F304 Manic episode in full remission
F308 Other manic episodes
F309 Manic episode, unspecified
F310 Bipolar disorder, current episode hypomanic
F3110 Bipolar disorder, current episode manic without psychotic features, unspecified
F3111 Bipolar disorder, current episode manic without psychotic features, mild
F3112 Bipolar disorder, current episode manic without psychotic features, moderate
F3113 Bipolar disorder, current episode manic without psychotic features, severe
F312 Bipolar disorder, current episode manic severe with psychotic features
F3130 Bipolar disorder, current episode depressed, mild or moderate severity, unspecified
F3131 Bipolar disorder, current episode depressed, mild
F3132 Bipolar disorder, current episode depressed, moderate
F314 Bipolar disorder, current episode depressed, severe, without psychotic features
F315 Bipolar disorder, current episode depressed, severe, with psychotic features
F3160 Bipolar disorder, current episode mixed, unspecified
F3161 Bipolar disorder, current episode mixed, mild
F3162 Bipolar disorder, current episode mixed, moderate
F3163 Bipolar disorder, current episode mixed, severe, without psychotic features
F3164 Bipolar disorder, current episode mixed, severe, with psychotic features
F3170 Bipolar disorder, currently in remission, most recent episode unspecified
F3171 Bipolar disorder, in partial remission, most recent episode hypomanic
F3172 Bipolar disorder, in full remission, most recent episode hypomanic
F3173 Bipolar disorder, in partial remission, most recent episode manic
F3174 Bipolar disorder, in full remission, most recent episode manic
F3175 Bipolar disorder, in partial remission, most recent episode depressed
F3176 Bipolar disorder, in full remission, most recent episode depressed
F3177 Bipolar disorder, in partial remission, most recent episode mixed
F3178 Bipolar disorder, in full remission, most recent episode mixed
F3181 Bipolar II disorder
F3189 Other bipolar disorder
F319 Bipolar disorder, unspecified
F320 Major depressive disorder, single episode, mild
F321 Major depressive disorder, single episode, moderate
F322 Major depressive disorder, single episode, severe without psychotic features
F323 Major depressive disorder, single episode, severe with psychotic features
F324 Major depressive disorder, single episode, in partial remission
F325 Major depressive disorder, single episode, in full remission
F3281 Premenstrual dysphoric disorder
F3289 Other specified depressive episodes
F329 Major depressive disorder, single episode, unspecified
F32A Depression, unspecified
F330 Major depressive disorder, recurrent, mild
F331 Major depressive disorder, recurrent, moderate
F332 Major depressive disorder, recurrent severe without psychotic features
F333 Major depressive disorder, recurrent, severe with psychotic symptoms
F3340 Major depressive disorder, recurrent, in remission, unspecified
F3341 Major depressive disorder, recurrent, in partial remission
F3342 Major depressive disorder, recurrent, in full remission
F338 Other recurrent depressive disorders
F339 Major depressive disorder, recurrent, unspecified
F340 Cyclothymic disorder
F341 Dysthymic disorder
F3481 Disruptive mood dysregulation disorder
F3489 Other specified persistent mood disorders
F349 Persistent mood [affective] disorder, unspecified
F39 Unspecified mood [affective] disorder
F4000 Agoraphobia, unspecified
F4001 Agoraphobia with panic disorder
F4002 Agoraphobia without panic disorder
F4010 Social phobia, unspecified
F4011 Social phobia, generalized
F40210 Arachnophobia
F40218 Other animal type phobia
F40220 Fear of thunderstorms
F40228 Other natural environment type phobia
F40230 Fear of blood
F40231 Fear of injections and transfusions
F40232 Fear of other medical care
F40233 Fear of injury
F40240 Claustrophobia
F40241 Acrophobia
F40242 Fear of bridges
F40243 Fear of flying
F40248 Other situational type phobia
F40290 Androphobia
F40291 Gynephobia
F40298 Other specified phobia
F408 Other phobic anxiety disorders
F409 Phobic anxiety disorder, unspecified
F410 Panic disorder [episodic paroxysmal anxiety]
F411 Generalized anxiety disorder
F413 Other mixed anxiety disorders
F418 Other specified anxiety disorders
F419 Anxiety disorder, unspecified
F422 Mixed obsessional thoughts and acts
F423 Hoarding disorder
F424 Excoriation (skin-picking) disorder
F428 Other obsessive-compulsive disorder
F429 Obsessive-compulsive disorder, unspecified
F430 Acute stress reaction
F4310 Post-traumatic stress disorder, unspecified
F4311 Post-traumatic stress disorder, acute
F4312 Post-traumatic stress disorder, chronic
F4320 Adjustment disorder, unspecified
F4321 Adjustment disorder with depressed mood
F4322 Adjustment disorder with anxiety
F4323 Adjustment disorder with mixed anxiety and depressed mood
F4324 Adjustment disorder with disturbance of conduct
F4325 Adjustment disorder with mixed disturbance of emotions and conduct
F4329 Adjustment disorder with other symptoms
F4381 Prolonged grief disorder
F4389 Other reactions to severe stress
F439 Reaction to severe stress, unspecified
F440 Dissociative amnesia
F441 Dissociative fugue
F442 Dissociative stupor
F444 Conversion disorder with motor symptom or deficit
F445 Conversion disorder with seizures or convulsions
F446 Conversion disorder with sensory symptom or deficit
F447 Conversion disorder with mixed symptom presentation
F4481 Dissociative identity disorder
F4489 Other dissociative and conversion disorders
F449 Dissociative and conversion disorder, unspecified
F450 Somatization disorder
F451 Undifferentiated somatoform disorder
F4520 Hypochondriacal disorder, unspecified
F4521 Hypochondriasis
F4522 Body dysmorphic disorder
F4529 Other hypochondriacal disorders
F4541 Pain disorder exclusively related to psychological factors
F4542 Pain disorder with related psychological factors
F458 Other somatoform disorders
F459 Somatoform disorder, unspecified
F481 Depersonalization-derealization syndrome
F482 Pseudobulbar affect
F488 Other specified nonpsychotic mental disorders
F489 Nonpsychotic mental disorder, unspecified
F5000 Anorexia nervosa, unspecified
F50010 Anorexia nervosa, restricting type, mild
F50011 Anorexia nervosa, restricting type, moderate
F50012 Anorexia nervosa, restricting type, severe
F50013 Anorexia nervosa, restricting type, extreme
F50014 Anorexia nervosa, restricting type, in remission
F50019 Anorexia nervosa, restricting type, unspecified
F50020 Anorexia nervosa, binge eating/purging type, mild
F50021 Anorexia nervosa, binge eating/purging type, moderate
F50022 Anorexia nervosa, binge eating/purging type, severe
F50023 Anorexia nervosa, binge eating/purging type, extreme
F50024 Anorexia nervosa, binge eating/purging type, in remission
F50029 Anorexia nervosa, binge eating/purging type, unspecified
F5020 Bulimia nervosa, unspecified
F5021 Bulimia nervosa, mild
F5022 Bulimia nervosa, moderate
F5023 Bulimia nervosa, severe
F5024 Bulimia nervosa, extreme
F5025 Bulimia nervosa, in remission
F50810 Binge eating disorder, mild
F50811 Binge eating disorder, moderate
F50812 Binge eating disorder, severe
F50813 Binge eating disorder, extreme
F50814 Binge eating disorder, in remission
F50819 Binge eating disorder, unspecified
F5082 Avoidant/restrictive food intake disorder
F5083 Pica in adults
F5084 Rumination disorder in adults
F5089 Other specified eating disorder
F509 Eating disorder, unspecified
F5101 Primary insomnia
F5102 Adjustment insomnia
F5103 Paradoxical insomnia
F5104 Psychophysiologic insomnia
F5105 Insomnia due to other mental disorder
F5109 Other insomnia not due to a substance or known physiological condition
F5111 Primary hypersomnia
F5112 Insufficient sleep syndrome
F5113 Hypersomnia due to other mental disorder
F5119 Other hypersomnia not due to a substance or known physiological condition
F513 Sleepwalking [somnambulism]
F514 Sleep terrors [night terrors]
F515 Nightmare disorder
F518 Other sleep disorders not due to a substance or known physiological condition
F519 Sleep disorder not due to a substance or known physiological condition, unspecified
F520 Hypoactive sexual desire disorder
F521 Sexual aversion disorder
F5221 Male erectile disorder
F5222 Female sexual arousal disorder
F5231 Female orgasmic disorder
F5232 Male orgasmic disorder
F524 Premature ejaculation
F525 Vaginismus not due to a substance or known physiological condition
F526 Dyspareunia not due to a substance or known physiological condition
F528 Other sexual dysfunction not due to a substance or known physiological condition
F529 Unspecified sexual dysfunction not due to a substance or known physiological condition
F530 Postpartum depression
F531 Puerperal psychosis
F54 Psychological and behavioral factors associated with disorders or diseases classified elsewhere
F550 Abuse of antacids
F551 Abuse of herbal or folk remedies
F552 Abuse of laxatives
F553 Abuse of steroids or hormones
F554 Abuse of vitamins
F558 Abuse of other non-psychoactive substances
F59 Unspecified behavioral syndromes associated with physiological disturbances and physical factors
F600 Paranoid personality disorder
F601 Schizoid personality disorder
F602 Antisocial personality disorder
F603 Borderline personality disorder
F604 Histrionic personality disorder
F605 Obsessive-compulsive personality disorder
F606 Avoidant personality disorder
F607 Dependent personality disorder
F6081 Narcissistic personality disorder
F6089 Other specific personality disorders
F609 Personality disorder, unspecified
F630 Pathological gambling
F631 Pyromania
F632 Kleptomania
F633 Trichotillomania
F6381 Intermittent explosive disorder
F6389 Other impulse disorders
F639 Impulse disorder, unspecified
F640 Transsexualism
F641 Dual role transvestism
F642 Gender identity disorder of childhood
F648 Other gender identity disorders
F649 Gender identity disorder, unspecified
F64A Gender identity disorder, in remission
F650 Fetishism
F651 Transvestic fetishism
F652 Exhibitionism
F653 Voyeurism
F654 Pedophilia
F6550 Sadomasochism, unspecified
F6551 Sexual masochism
F6552 Sexual sadism
F6581 Frotteurism
F6589 Other paraphilias
F659 Paraphilia, unspecified
F66 Other sexual disorders
F6810 Factitious disorder imposed on self, unspecified
F6811 Factitious disorder imposed on self, with predominantly psychological signs and symptoms
F6812 Factitious disorder imposed on self, with predominantly physical signs and symptoms
F6813 Factitious disorder imposed on self, with combined psychological and physical signs and symptoms
F68A Factitious disorder imposed on another
F688 Other specified disorders of adult personality and behavior
F69 Unspecified disorder of adult personality and behavior
F70 Mild intellectual disabilities
F71 Moderate intellectual disabilities
F72 Severe intellectual disabilities
F73 Profound intellectual disabilities
F78A1 SYNGAP1-related intellectual disability
F78A9 Other genetic related intellectual disability
F79 Unspecified intellectual disabilities
F800 Phonological disorder
F801 Expressive language disorder
F802 Mixed receptive-expressive language disorder
F804 Speech and language development delay due to hearing loss
F8081 Childhood onset fluency disorder
F8082 Social pragmatic communication disorder
F8089 Other developmental disorders of speech and language
F809 Developmental disorder of speech and language, unspecified
F810 Specific reading disorder
F812 Mathematics disorder
F8181 Disorder of written expression
F8189 Other developmental disorders of scholastic skills
F819 Developmental disorder of scholastic skills, unspecified
F82 Specific developmental disorder of motor function
F840 Autistic disorder
F842 Rett's syndrome
F843 Other childhood disintegrative disorder
F845 Asperger's syndrome
F848 Other pervasive developmental disorders
F849 Pervasive developmental disorder, unspecified
F88 Other disorders of psychological development
F89 Unspecified disorder of psychological development
F900 Attention-deficit hyperactivity disorder, predominantly inattentive type
F901 Attention-deficit hyperactivity disorder, predominantly hyperactive type
F902 Attention-deficit hyperactivity disorder, combined type
F908 Attention-deficit hyperactivity disorder, other type
F909 Attention-deficit hyperactivity disorder, unspecified type
F910 Conduct disorder confined to family context
F911 Conduct disorder, childhood-onset type
F912 Conduct disorder, adolescent-onset type
F913 Oppositional defiant disorder
F918 Other conduct disorders
F919 Conduct disorder, unspecified
F930 Separation anxiety disorder of childhood
F938 Other childhood emotional disorders
F939 Childhood emotional disorder, unspecified
F940 Selective mutism
F941 Reactive attachment disorder of childhood
F942 Disinhibited attachment disorder of childhood
F948 Other childhood disorders of social functioning
F949 Childhood disorder of social functioning, unspecified
F950 Transient tic disorder
F951 Chronic motor or vocal tic disorder
F952 Tourette's disorder
F958 Other tic disorders
F959 Tic disorder, unspecified
F980 Enuresis not due to a substance or known physiological condition
F981 Encopresis not due to a substance or known physiological condition
F9821 Rumination disorder of infancy and childhood
F9829 Other feeding disorders of infancy and early childhood
F983 Pica of infancy and childhood
F984 Stereotyped movement disorders
F985 Adult onset fluency disorder
F988 Other specified behavioral and emotional disorders with onset usually occurring in childhood and adolescence
F989 Unspecified behavioral and emotional disorders with onset usually occurring in childhood and adolescence
F99 Mental disorder, not otherwise specified
Z550 Illiteracy and low-level literacy
Z551 Schooling unavailable and unattainable
Z552 Failed school examinations
Z553 Underachievement in school
Z554 Educational maladjustment and discord with teachers and classmates
Z555 Less than a high school diploma
Z556 Problems related to health literacy
Z558 Other problems related to education and literacy
Z559 Problems related to education and literacy, unspecified
Z560 Unemployment, unspecified
Z561 Change of job
Z562 Threat of job loss
Z563 Stressful work schedule
Z564 Discord with boss and workmates
Z565 Uncongenial work environment
Z566 Other physical and mental strain related to work
Z5681 Sexual harassment on the job
Z5682 Military deployment status
Z5689 Other problems related to employment
Z569 Unspecified problems related to employment
Z5900 Homelessness unspecified
Z5901 Sheltered homelessness
Z5902 Unsheltered homelessness
Z5910 Inadequate housing, unspecified
Z5911 Inadequate housing environmental temperature
Z5912 Inadequate housing utilities
Z5919 Other inadequate housing
Z592 Discord with neighbors, lodgers and landlord
Z593 Problems related to living in residential institution
Z5941 Food insecurity
Z5948 Other specified lack of adequate food
Z595 Extreme poverty
Z596 Low income
Z5971 Insufficient health insurance coverage
Z5972 Insufficient welfare support
Z59811 Housing instability, housed, with risk of homelessness
Z59812 Housing instability, housed, homelessness in past 12 months
Z59819 Housing instability, housed unspecified
Z5982 Transportation insecurity
Z59861 Financial insecurity, difficulty paying for utilities
Z59868 Other specified financial insecurity
Z59869 Financial insecurity, unspecified
Z5987 Material hardship due to limited financial resources, not elsewhere classified
Z5989 Other problems related to housing and economic circumstances
Z599 Problem related to housing and economic circumstances, unspecified
Z600 Problems of adjustment to life-cycle transitions
Z602 Problems related to living alone
Z603 Acculturation difficulty
Z604 Social exclusion and rejection
Z605 Target of (perceived) adverse discrimination and persecution
Z608 Other problems related to social environment
Z609 Problem related to social environment, unspecified
Z620 Inadequate parental supervision and control
Z621 Parental overprotection
Z6221 Child in welfare custody
Z6222 Institutional upbringing
Z6223 Child in custody of non-parental relative
Z6224 Child in custody of non-relative guardian
Z6229 Other upbringing away from parents
Z623 Hostility towards and scapegoating of child
Z626 Inappropriate (excessive) parental pressure
Z62810 Personal history of physical and sexual abuse in childhood
Z62811 Personal history of psychological abuse in childhood
Z62812 Personal history of neglect in childhood
Z62813 Personal history of forced labor or sexual exploitation in childhood
Z62814 Personal history of child financial abuse
Z62815 Personal history of intimate partner abuse in childhood
Z62819 Personal history of unspecified abuse in childhood
Z62820 Parent-biological child conflict
Z62821 Parent-adopted child conflict
Z62822 Parent-foster child conflict
Z62823 Parent-step child conflict
Z62831 Non-parental relative-child conflict
Z62832 Non-relative guardian-child conflict
Z62833 Group home staff-child conflict
Z62890 Parent-child estrangement NEC
Z62891 Sibling rivalry
Z62892 Runaway [from current living environment]
Z62898 Other specified problems related to upbringing
Z629 Problem related to upbringing, unspecified
Z630 Problems in relationship with spouse or partner
Z631 Problems in relationship with in-laws
Z6331 Absence of family member due to military deployment
Z6332 Other absence of family member
Z634 Disappearance and death of family member
Z635 Disruption of family by separation and divorce
Z636 Dependent relative needing care at home
Z6371 Stress on family due to return of family member from military deployment
Z6372 Alcoholism and drug addiction in family
Z6379 Other stressful life events affecting family and household
Z638 Other specified problems related to primary support group
Z639 Problem related to primary support group, unspecified
Z640 Problems related to unwanted pregnancy
Z641 Problems related to multiparity
Z644 Discord with counselors
Z650 Conviction in civil and criminal proceedings without imprisonment
Z651 Imprisonment and other incarceration
Z652 Problems related to release from prison
Z653 Problems related to other legal circumstances
Z654 Victim of crime and terrorism
Z655 Exposure to disaster, war and other hostilities
Z658 Other specified problems related to psychosocial circumstances
Z659 Problem related to unspecified psychosocial circumstances
Z69010 Encounter for mental health services for victim of parental child abuse
Z69011 Encounter for mental health services for perpetrator of parental child abuse
Z69020 Encounter for mental health services for victim of non-parental child abuse
Z69021 Encounter for mental health services for perpetrator of non-parental child abuse
Z6911 Encounter for mental health services for victim of spousal or partner abuse
Z6912 Encounter for mental health services for perpetrator of spousal or partner abuse
Z6981 Encounter for mental health services for victim of other abuse
Z6982 Encounter for mental health services for perpetrator of other abuse
Z700 Counseling related to sexual attitude
Z701 Counseling related to patient's sexual behavior and orientation
Z702 Counseling related to sexual behavior and orientation of third party
Z703 Counseling related to combined concerns regarding sexual attitude, behavior and orientation
Z708 Other sex counseling
Z709 Sex counseling, unspecified
Z7141 Alcohol abuse counseling and surveillance of alcoholic
Z7142 Counseling for family member of alcoholic
Z7151 Drug abuse counseling and surveillance of drug abuser
Z7152 Counseling for family member of drug abuser
Z716 Tobacco abuse counseling
Z7181 Spiritual or religious counseling
Z7189 Other specified counseling
Z719 Counseling, unspecified
Z726 Gambling and betting
Z72810 Child and adolescent antisocial behavior
Z72811 Adult antisocial behavior
Z72820 Sleep deprivation
Z72821 Inadequate sleep hygiene
Z730 Burn-out
Z731 Type A behavior pattern
Z732 Lack of relaxation and leisure
Z733 Stress, not elsewhere classified
Z734 Inadequate social skills, not elsewhere classified
Z735 Social role conflict, not elsewhere classified
Z73810 Behavioral insomnia of childhood, sleep-onset association type
Z73811 Behavioral insomnia of childhood, limit setting type
Z73812 Behavioral insomnia of childhood, combined type
Z73819 Behavioral insomnia of childhood, unspecified type
Z7389 Other problems related to life management difficulty
Z739 Problem related to life management difficulty, unspecified
Z811 Family history of alcohol abuse and dependence
Z813 Family history of other psychoactive substance abuse and dependence
Z818 Family history of other mental and behavioral disorders
Z8651 Personal history of combat and operational stress reaction
Z8659 Personal history of other mental and behavioral disorders
Z91410 Personal history of adult physical and sexual abuse
Z91411 Personal history of adult psychological abuse
Z91412 Personal history of adult neglect
Z91413 Personal history of adult financial abuse
Z91414 Personal history of adult intimate partner abuse
Z91419 Personal history of unspecified adult abuse
Z9142 Personal history of forced labor or sexual exploitation
Z9149 Other personal history of psychological trauma, not elsewhere classified
Z9151 Personal history of suicidal behavior
Z9152 Personal history of nonsuicidal self-harm
`;
